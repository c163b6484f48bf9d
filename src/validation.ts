// Checks a call against the spec before anything is sent, with validators
// generated from the spec at build time.
import { constraintMessages, validatorsByPath, type ValidationError } from "../generated/validators.js";

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
  readonly issues: ValidationIssue[];

  constructor(method: string, path: string, issues: ValidationIssue[]) {
    const list = issues.map((issue) => `${issue.in} ${issue.path}: ${issue.message}`).join("; ");
    super(`${method} ${path} was not sent: ${list}`);
    this.issues = issues;
  }
}

/** Every problem of a call to `pathTemplate`, or none. */
export function requestIssues(pathTemplate: string, path: Record<string, unknown>, body: unknown): ValidationIssue[] {
  const validate = validatorsByPath[pathTemplate];
  if (!validate || validate({ path, body })) return [];
  const errors = validate.errors ?? [];
  // An anyOf reports each branch that failed before itself; its own
  // sentence covers them all.
  const coveredByAnyOf = new Set(errors.filter((e) => e.keyword === "anyOf").map((e) => e.instancePath));
  return errors
    .filter((e) => e.keyword === "anyOf" || !coveredByAnyOf.has(e.instancePath))
    .map(toIssue);
}

function toIssue(error: ValidationError): ValidationIssue {
  const { keyword, params } = error;
  const field = (params.missingProperty ?? params.additionalProperty) as string | undefined;
  const pointer = field === undefined ? error.instancePath : `${error.instancePath}/${field}`;
  const [, where, ...rest] = pointer.split("/");
  return { in: where as "body" | "path", path: `/${rest.join("/")}`, message: sentence(keyword, params, rest.at(-1)) };
}

function sentence(keyword: string, params: Record<string, unknown>, name = ""): string {
  switch (keyword) {
    case "required":
      return "Required, and missing.";
    case "additionalProperties":
      return "Not a field the spec defines here; a misspelt field would be dropped by the service.";
    case "type":
      return `Expected ${params.type === "integer" || params.type === "object" || params.type === "array" ? "an" : "a"} ${params.type}.`;
    case "minItems":
      return `Expected at least ${params.limit} ${params.limit === 1 ? "item" : "items"}.`;
    case "minLength":
      return "Expected a non-empty string.";
    case "minimum":
      return `Expected at least ${params.limit}.`;
    case "maximum":
      return `Expected at most ${params.limit}.`;
  }
  return constraintMessages[name] ?? `Breaks the spec's "${keyword}" rule.`;
}
