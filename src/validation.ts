// Checks a call against the spec's rules before anything is sent. The rules
// are generated from the spec at build time; this walks them, keyword by
// keyword, for the keywords the spec uses (the generator refuses any other).
import { requests, ruleMessages, schemas, type RuleSchema } from "../generated/request-schemas.js";
import { sentences } from "./errors.js";

export interface ValidationIssue {
  /** Where the problem is: in the request body, or in the URL's path or query parameters. */
  in: "body" | "path" | "query";
  /** A JSON pointer into the body (`/invoice/items/0/discount`) or to the parameter (`/document-id`, `/client_code`). */
  path: string;
  /** The rule that was broken, as a sentence. */
  message: string;
}

/** A call the spec refuses. Nothing was sent. */
export class RequestValidationError extends Error {
  override readonly name = "RequestValidationError";
  declare readonly issues: ValidationIssue[];

  constructor(method: string, path: string, issues: ValidationIssue[]) {
    super(`${method} ${path} was not sent: ${sentences(issues.map((i) => `${i.in}${i.path && " "}${i.path}: ${i.message}`))}`);
    this.issues = issues;
  }
}

/** Every problem of a call to `method` `pathTemplate`, or none. */
export function requestIssues(method: string, pathTemplate: string, path: unknown, body: unknown): ValidationIssue[] {
  if (!prepared) {
    prepared = new Map();
    for (const [operation, { path, body }] of Object.entries(requests)) {
      const [verb, template] = operation.split(" ") as [string, string];
      if (!prepared.has(verb)) prepared.set(verb, new Map());
      prepared.get(verb)!.set(template, { path: rule(path), body: body && rule(body) });
    }
  }
  // By method, then path: no string is built for a call.
  const request = (prepared.get(method) ?? prepared.get(method.toUpperCase()))?.get(pathTemplate);
  if (!request) return [{ in: "path", path: "", message: "Not an operation of the spec." }];
  const issues: ValidationIssue[] = [];
  check(request.path, path, [], (pointer, message) =>
    issues.push({ in: pathTemplate.includes(`{${pointer.slice(1)}}`) || pointer === "" ? "path" : "query", path: pointer, message }),
  );
  if (request.body) check(request.body, body, [], (pointer, message) => issues.push({ in: "body", path: pointer, message }));
  else if (body !== undefined) issues.push({ in: "body", path: "", message: "Expected no body: a read takes none." });
  return issues;
}

/** Whether the spec has an operation of this method at this path template. */
export const isOperation = (method: string, template: string) => `${method.toUpperCase()} ${template}` in requests;

/** The query parameters the spec gives an operation: those of its parameters that are not in its path. */
export const queryNames = (method: string, template: string) =>
  Object.keys(requests[`${method.toUpperCase()} ${template}`]?.path.properties ?? {}).filter((name) => !template.includes(`{${name}}`));

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
  /**
   * The same branches with any that is only an anyOf of its own replaced by
   * its branches, in order: what a value is matched against (the nested
   * form names the rule when none matches).
   */
  leaves: Rule[] | undefined;
  values: Set<unknown> | undefined;
  nullable: boolean;
  minLength: number | undefined;
  pattern: RegExp | undefined;
  minimum: number | undefined;
  maximum: number | undefined;
  minItems: number | undefined;
  items: Rule | undefined;
  required: readonly string[];
  missing: Readonly<Record<string, string>> | undefined;
  properties: Map<string, Rule> | undefined;
  /** The fields the service returns and ignores on update. */
  readOnly: readonly string[];
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
  // A reference where null is allowed too: prepared as every rule is, so
  // that all rules keep one shape (a spread copy would make another, and
  // the checks slower).
  return schema.nullable ? prepare({ ...schemas[name]!, nullable: true }, name) : component;
}

function prepare(schema: RuleSchema, name?: string): Rule {
  const anyOf = schema.anyOf?.map(rule);
  return {
    type: schema.type,
    anyOf,
    leaves: anyOf?.flatMap(function leaves(branch): Rule[] {
      const onlyBranches = branch.anyOf && !branch.type && !branch.values && !branch.pattern && !branch.nullable;
      return onlyBranches ? branch.anyOf!.flatMap(leaves) : [branch];
    }),
    values: schema.enum && new Set(schema.enum),
    nullable: !!schema.nullable,
    minLength: schema.minLength,
    pattern: schema.pattern ? new RegExp(schema.pattern, "u") : undefined,
    minimum: schema.minimum,
    maximum: schema.maximum,
    minItems: schema.minItems,
    items: schema.items && rule(schema.items),
    required: Object.keys(schema.missing ?? {}),
    missing: schema.missing,
    readOnly: Object.keys(schema.readOnly ?? {}),
    properties: schema.properties && new Map(Object.entries({ ...schema.properties, ...schema.readOnly }).map(([n, s]) => [n, rule(s)])),
    closed: schema.additionalProperties === false,
    name,
  };
}
let prepared: Map<string, Map<string, { path: Rule; body: Rule | undefined }>> | undefined;

function check(schema: Rule, data: unknown, at: string[], report: Report): boolean {
  if (!follows(schema, data)) {
    if (report === silent) return false;
    // One of several shapes that the value names by a field's value (a
    // cancellation, by its state): what that shape lacks, field by field.
    const meant = schema.leaves && typeof data === "object" && data !== null && schema.leaves.filter((branch) => names(branch, data));
    if (meant && meant.length === 1) check(meant[0]!, data, at, report);
    else report(pointer(at), sentence(schema, data));
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
        report(pointer([...at, name]), `Required, and missing: ${schema.missing![name]}`);
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
        report(pointer([...at, name]), unknownField(schema, name, value, record));
        valid = false;
      }
    }
  }
  return valid;
}

/** Whether an object's field holds one of the few values that `branch` lists for it. */
const names = (branch: Rule, data: object) =>
  [...(branch.properties ?? [])].some(([field, rule]) => rule.values && rule.values.has((data as Record<string, unknown>)[field]));

/** Whether `data` itself (not what it contains) follows the rules of `schema`. */
function follows(schema: Rule, data: unknown): boolean {
  if (data === null && schema.nullable) return true;
  if (schema.type && !hasType(data, schema.type)) return false;
  if (schema.leaves && !matchesAny(schema.leaves, data)) return false;
  if (schema.values && !schema.values.has(data)) return false;
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
  const { type, name, values } = schema;
  // Null where a value is required: what the value must be.
  if (data === null && ruleMessages[name!]) return ruleMessages[name!]!;
  if (type && !hasType(data, type)) return `Expected ${/^[aeiou]/.test(type) ? "an" : "a"} ${type}.`;
  if (typeof data === "string" && data.length < (schema.minLength ?? 0)) return `Expected at least ${schema.minLength} character(s).`;
  if (typeof data === "number" && data < (schema.minimum ?? -Infinity)) return `Expected at least ${schema.minimum}.`;
  if (typeof data === "number" && data > (schema.maximum ?? Infinity)) return `Expected at most ${schema.maximum}.`;
  // A field that takes one of several components (a retention, or an
  // empty string): the first one's rule is the one meant.
  if (!ruleMessages[name!] && schema.anyOf) return sentence(schema.anyOf[0]!, data);
  const rule =
    ruleMessages[name!] ?? (values ? `Expected one of ${[...values].join(", ").replace(/, ([^,]*)$/, " or $1")}.` : "Breaks a rule of the spec.");
  // A listed value written another way ("EN", "Portugall"): the one meant.
  const meant = typeof data === "string" && values && nearest(data, [...values] as string[]);
  return meant ? `${rule} Did you mean ${meant}?` : rule;
}

/** A name as it compares: lower case, with "-", "." and spaces as "_" (`Due-Date` is `due_date`). */
const plainName = (name: string) => name.toLowerCase().replace(/[-\s.]/g, "_");

/** The name among `names` that `given` most likely means, if one is close. */
function nearest(given: string, names: string[]): string | undefined {
  const plain = plainName(given);
  return (
    names.find((name) => plainName(name) === plain) ??
    names.find((name) => plain.length > 3 && Math.abs(plain.length - name.length) < 3 && distance(plain, name.toLowerCase()) <= (plain.length > 6 ? 2 : 1))
  );
}

/**
 * The sentence for a field the spec does not define, with the field most
 * likely meant: the same name written another way (`due-date`), a field
 * of a field (`tax_name` for `tax.name`), a near spelling (`discont`), or,
 * in a body, the one root it has (`invoice_receipt` for `invoice`).
 */
function unknownField({ properties, required, readOnly }: Rule, name: string, value: unknown, record: object): string {
  // A field the service ignores is never what was meant.
  const known = [...properties!.keys()].filter((field) => !readOnly.includes(field));
  const plain = plainName(name);
  const meant =
    known
      .map((field) => {
        const inner = properties!.get(field)!;
        const sub = plain.startsWith(`${field}_`) && plain.slice(field.length + 1);
        const { properties: fields, readOnly: ignored } = inner.items ?? inner;
        return sub && fields?.has(sub) && !ignored.includes(sub) ? `${field}.${sub}` : "";
      })
      .find(Boolean) ??
    nearest(name, known) ??
    // A body under another root than its one: that root, when it is missing.
    (known.length === 1 && required[0] === known[0] && !(known[0]! in record) && typeof value === "object" && value ? known[0] : undefined);
  return `Not a field the spec defines here${meant ? `; did you mean ${meant}?` : ": leave it out, or check its spelling."}`;
}

/** How many characters to insert, delete, change or swap with the next to turn one name into the other. */
function distance(a: string, b: string): number {
  const rows = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = (rows[i] = [i]);
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, rows[i - 2]![j - 2]! + 1);
    }
  }
  return rows[a.length]![b.length]!;
}

function matchesAny(branches: Rule[], data: unknown): boolean {
  // A value with nothing inside needs only `follows`; an object or array is checked whole.
  const inside = typeof data === "object" && data !== null;
  for (const branch of branches) {
    if (inside ? check(branch, data, nowhere, silent) : follows(branch, data)) return true;
  }
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
