// Checks a call against the spec's rules before anything is sent. The rules
// are generated from the spec at build time; this walks them, keyword by
// keyword, for the keywords the spec uses (the generator refuses any other).
import { requests, ruleMessages, schemas, type RuleSchema } from "../generated/request-schemas.js";
import { sentences } from "./errors.js";
import { fingerprint } from "./fingerprint.js";

export interface ValidationIssue {
  /** Where the problem is: in the request body or in the URL's path parameters. */
  in: "body" | "path";
  /** A JSON pointer into the body (`/invoice/items/0/discount`) or to the parameter (`/document-id`). */
  path: string;
  /** The rule that was broken, as a sentence. */
  message: string;
}

/** A call the spec refuses. Nothing was sent. */
export class RequestValidationError extends Error {
  override readonly name = "RequestValidationError";
  declare readonly issues: ValidationIssue[];

  constructor(method: string, path: string, issues: ValidationIssue[]) {
    super(`${method} ${path} was not sent: ${sentences(issues.map((i) => `${i.in} ${i.path}: ${i.message}`))}`);
    this.issues = issues;
  }
}

/** Every problem of a call to `method` `pathTemplate`, or none. */
export function requestIssues(method: string, pathTemplate: string, path: unknown, body: unknown): ValidationIssue[] {
  prepared ??= new Map(Object.entries(requests).map(([p, r]) => [p, { path: rule(r.path), body: rule(r.body) }]));
  // Every operation of the spec is a PUT.
  const request = /^put$/i.test(method) ? prepared.get(pathTemplate) : undefined;
  if (!request) return [{ in: "path", path: "", message: "Not an operation of the spec." }];
  const issues: ValidationIssue[] = [];
  check(request.path, path, [], (pointer, message) => issues.push({ in: "path", path: pointer, message }));
  check(request.body, body, [], (pointer, message) => issues.push({ in: "body", path: pointer, message }));
  return issues;
}

type Report = (pointer: string, message: string) => void;
const silent: Report = () => {};

/**
 * A schema of the generated rules with every keyword in a fixed place, its
 * patterns compiled and its enums made sets once: every rule then has the
 * same shape, which keeps checking a body fast.
 */
interface Rule {
  type: RuleSchema["type"];
  anyOf: Rule[] | undefined;
  values: Set<unknown> | undefined;
  /** Whether `values` holds the fingerprints of the values. */
  fingerprinted: boolean;
  minLength: number | undefined;
  pattern: RegExp | undefined;
  minimum: number | undefined;
  maximum: number | undefined;
  minItems: number | undefined;
  items: Rule | undefined;
  required: readonly string[];
  properties: Map<string, Rule> | undefined;
  closed: boolean;
  /** The component whose sentence describes this rule's constraint. */
  name: string | undefined;
}

const components = new Map<string, Rule>();
function rule(schema: RuleSchema): Rule {
  const name = schema.$ref;
  if (name === undefined) return prepare(schema);
  let component = components.get(name);
  if (!component) components.set(name, (component = prepare(schemas[name]!, name)));
  return component;
}

function prepare(schema: RuleSchema, name?: string): Rule {
  return {
    type: schema.type,
    anyOf: schema.anyOf?.map(rule),
    values: schema.fingerprints ? fingerprintSet(schema.fingerprints) : schema.enum && new Set(schema.enum),
    fingerprinted: !!schema.fingerprints,
    minLength: schema.minLength,
    pattern: schema.pattern ? new RegExp(schema.pattern, "u") : undefined,
    minimum: schema.minimum,
    maximum: schema.maximum,
    minItems: schema.minItems,
    items: schema.items && rule(schema.items),
    required: schema.required ?? [],
    properties: schema.properties && new Map(Object.entries(schema.properties).map(([n, s]) => [n, rule(s)])),
    closed: schema.additionalProperties === false,
    name,
  };
}
let prepared: Map<string, { path: Rule; body: Rule }> | undefined;

/** The fingerprints the generator wrote as gaps (see fingerprintsOf in scripts/generate.ts). */
function fingerprintSet(gaps: string): Set<unknown> {
  const set = new Set<unknown>();
  let at = 0;
  const read = (count: number) => {
    let value = 0;
    while (count--) value = value * 64 + gaps.charCodeAt(at++) - 63;
    return value;
  };
  for (let value = 0; at < gaps.length; set.add(value)) {
    const gap = read(3);
    value += gap < 2 ** 18 - 1 ? gap : read(4);
  }
  return set;
}

function check(schema: Rule, data: unknown, at: string[], report: Report): boolean {
  if (!follows(schema, data)) {
    if (report !== silent) report(pointer(at), sentence(schema, data));
    return false;
  }
  let valid = true;
  if (Array.isArray(data)) {
    if (schema.minItems !== undefined && data.length < schema.minItems) {
      report(pointer(at), `Expected at least ${schema.minItems} item(s).`);
      valid = false;
    }
    if (schema.items) {
      for (let i = 0; i < data.length; i++) {
        at.push(`${i}`);
        valid = check(schema.items, data[i], at, report) && valid;
        at.pop();
      }
    }
  } else if (typeof data === "object" && data !== null && schema.properties) {
    const record = data as Record<string, unknown>;
    // Own fields only: a property added to Object.prototype is not sent,
    // nor is an undefined one.
    for (const name of schema.required) {
      if (record[name] === undefined || !Object.hasOwn(record, name)) {
        report(pointer([...at, name]), "Required, and missing.");
        valid = false;
      }
    }
    // An enumerable property added to Object.prototype shows here as a field
    // the spec does not define: refused, not sent.
    for (const name in record) {
      const value = record[name];
      // JSON.stringify drops undefined fields, so they are not sent.
      if (value === undefined) continue;
      const property = schema.properties.get(name);
      if (property) {
        at.push(name);
        valid = check(property, value, at, report) && valid;
        at.pop();
      } else if (schema.closed) {
        report(pointer([...at, name]), "Not a field the spec defines here.");
        valid = false;
      }
    }
  }
  return valid;
}

/** Whether `data` itself (not what it contains) follows the rules of `schema`. */
function follows(schema: Rule, data: unknown): boolean {
  if (schema.type && !hasType(data, schema.type)) return false;
  if (schema.anyOf && !matchesAny(schema.anyOf, data)) return false;
  if (schema.values && !schema.values.has(schema.fingerprinted ? fingerprint(data as string) : data)) return false;
  if (typeof data === "string") {
    if (schema.minLength !== undefined && data.length < schema.minLength) return false;
    if (schema.pattern && !schema.pattern.test(data)) return false;
  } else if (typeof data === "number") {
    if (schema.minimum !== undefined && data < schema.minimum) return false;
    if (schema.maximum !== undefined && data > schema.maximum) return false;
  }
  return true;
}

/** Which rule `data` broke, as a sentence; asked only once `follows` said no. */
function sentence(schema: Rule, data: unknown): string {
  const { type } = schema;
  if (type && !hasType(data, type)) return `Expected ${/^[aeiou]/.test(type) ? "an" : "a"} ${type}.`;
  if (typeof data === "string" && data.length < (schema.minLength ?? 0)) return `Expected at least ${schema.minLength} character(s).`;
  if (typeof data === "number" && data < (schema.minimum ?? -Infinity)) return `Expected at least ${schema.minimum}.`;
  if (typeof data === "number" && data > (schema.maximum ?? Infinity)) return `Expected at most ${schema.maximum}.`;
  return ruleMessages[schema.name!] ?? "Breaks a rule of the spec.";
}

function matchesAny(branches: Rule[], data: unknown): boolean {
  for (const branch of branches) if (check(branch, data, nowhere, silent)) return true;
  return false;
}
// Branches are only asked yes or no, so they share one (balanced) path.
const nowhere: string[] = [];

// Built only when something is reported, so the valid path does no string work.
const pointer = (at: string[]) => at.map((name) => `/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");

// Bodies are checked as parsed JSON, which holds no NaN or Infinity: a
// "number" is any number.
function hasType(data: unknown, type: NonNullable<RuleSchema["type"]>): boolean {
  if (type === "integer") return Number.isInteger(data);
  if (type === "array") return Array.isArray(data);
  if (type === "object") return typeof data === "object" && data !== null && !Array.isArray(data);
  return typeof data === type;
}
