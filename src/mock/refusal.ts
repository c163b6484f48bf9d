// What the mock and the conformance proxy answer a request the spec refuses:
// 422, with one message per broken rule of that request, in the body (one of
// the service's error shapes, `{"errors":[{"error":"…"}]}`) and in an
// `sl-violations` header as Prism writes it. The messages are the client's
// RequestValidationError sentences: both come from src/validation.ts and the
// rules generated from the spec.
import { operationIds, requests } from "../../generated/request-schemas.js";
import { queryNames, requestIssues } from "../validation.js";

export interface Problem {
  /** Where, as Prism says it: ["request", "body", "invoice", "date"]. */
  location: string[];
  /** The field and the rule: "body /invoice/date: Expected a real calendar date …". */
  message: string;
}

// The spec's path templates as patterns, the ones with fewer parameters
// first, as Prism routes: /clients/1.json is a client, not a document type.
const routes = [...new Set(Object.keys(requests).map((operation) => operation.split(" ")[1]!))]
  .sort((a, b) => a.split("{").length - b.split("{").length)
  .map((template) => {
    const names = [...template.matchAll(/\{([^{}]+)\}/g)].map((match) => match[1]!);
    const pattern = new RegExp(`^${template.replace(/[.]/g, "\\.").replace(/\{[^{}]+\}/g, "([^/]*)")}$`);
    return { template, names, pattern };
  });

/** The spec's operation a request goes to, by its method and path: "updateClient"; undefined for none. */
export function operationOf(method: string, url: string): { operationId: string; template: string; params: Record<string, unknown> } | undefined {
  // The path as sent: "//clients/1.json" is not a client's path.
  const pathname = url.split(/[?#]/)[0]!;
  const route = routes.find(({ pattern }) => pattern.test(pathname));
  if (!route) return undefined;
  const values = route.pattern.exec(pathname)!.slice(1).map(decodeURIComponent);
  // Prism reads a path parameter as the type its schema gives: "12" is 12.
  const params: Record<string, unknown> = Object.fromEntries(route.names.map((name, i) => [name, /^-?\d+(\.\d+)?$/.test(values[i]!) ? Number(values[i]) : values[i]]));
  // The query parameters the operation declares (find-by-code's client_code), as the text they are.
  const query = new URLSearchParams(url.split("?")[1]?.split("#")[0] ?? "");
  for (const name of queryNames(method, route.template)) if (query.has(name)) params[name] = query.get(name);
  const operationId = operationIds[`${method.toUpperCase()} ${route.template}`];
  return operationId === undefined ? undefined : { operationId, template: route.template, params };
}

/**
 * What the conformance proxy refuses of a request beyond its body's rules:
 * a body that is not JSON as its content type says (a form-encoded body
 * would be read field by field by the service), bytes that are not UTF-8,
 * and a query with more than the one key (a service built on Rails reads
 * `client[language]=fr` in a query as a field of the body, and the last of
 * two keys).
 */
export function messageProblems(url: string, contentTypes: string[], body: Buffer): Problem[] {
  const problems: Problem[] = [];
  if (contentTypes.length > 1)
    problems.push({ location: ["request", "header", "content-type"], message: "header content-type: Given more than once; give it once." });
  else if (body.length > 0 && !/^application\/json\s*(?:;\s*charset="?utf-8"?\s*)?$/i.test(contentTypes[0] ?? ""))
    problems.push({ location: ["request", "header", "content-type"], message: "header content-type: Expected application/json, the only body the spec documents." });
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    problems.push({ location: ["request", "body"], message: "body: Not UTF-8." });
  }
  // Some servers split a query at ";" as well as "&".
  const query = new URLSearchParams((url.split("?")[1]?.split("#")[0] ?? "").replace(/;/g, "&"));
  // Beside the key, only what the operation at this path declares, once.
  const pathname = url.split(/[?#]/)[0]!;
  const route = routes.find(({ pattern }) => pattern.test(pathname));
  const declared = new Set(route ? ["GET", "PUT", "POST"].flatMap((method) => queryNames(method, route.template)) : []);
  for (const name of new Set(query.keys()))
    if (declared.has(name)) {
      if (query.getAll(name).length > 1) problems.push({ location: ["request", "query", name], message: `query ${name}: Given more than once; give it once.` });
    } else if (name !== "api_key")
      problems.push({ location: ["request", "query", name], message: `query ${name}: Not a parameter of the spec; the key (api_key) and the operation's own are the only ones.` });
  if (query.getAll("api_key").length > 1) problems.push({ location: ["request", "query", "api_key"], message: "query api_key: Given more than once; give it once." });
  return problems;
}

/** A request's problems in the client's words (a request to no operation of the spec is one), or undefined when there are none. */
export function requestProblems(method: string, url: string, body: string | undefined, operation = operationOf(method, url)): Problem[] | undefined {
  let json: unknown;
  try {
    json = body ? JSON.parse(body) : undefined;
  } catch {
    return [{ location: ["request", "body"], message: "body: Not JSON." }];
  }
  // A path that is not one of the spec's is not an operation of the spec.
  const issues = requestIssues(method, operation?.template ?? "", operation?.params ?? {}, json);
  if (issues.length === 0) return undefined;
  return issues.map((issue) => ({
    location: ["request", issue.in, ...issue.path.split("/").slice(1).map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))],
    message: `${issue.in}${issue.path && ` ${issue.path}`}: ${issue.message}`,
  }));
}

/** Prism's own violations (an `sl-violations` header), made readable: no regular expressions. */
export function prismProblems(header: string): Problem[] {
  let violations: { location?: string[]; message?: string }[];
  try {
    violations = JSON.parse(header);
  } catch {
    violations = [];
  }
  // Where a value matches none of several shapes, the validator also says
  // how it fails each one; the one sentence that it matches none is enough.
  const noShape = new Set(violations.filter((v) => / must match a schema in anyOf$/.test(v.message ?? "")).map((v) => String(v.location)));
  return violations
    .filter(({ location = [], message = "" }) => !noShape.has(String(location)) || / must match a schema in anyOf$/.test(message))
    .map(({ location = [], message = "" }) => {
      const where = [location[1], location.length > 2 ? `/${location.slice(2).join("/")}` : undefined].filter(Boolean).join(" ");
      return { location, message: `${where ? `${where}: ` : ""}${readable(message)}` };
    });
}

/** A validator's message without the regular expression it may quote. */
export const readable = (message: string) =>
  message
    .replace(/ must match pattern "(?:[^"\\]|\\.)*"/, " does not have the form the spec requires")
    .replace(/ must match a schema in anyOf$/, " matches none of the shapes the spec documents");

/**
 * A header value Node accepts: Prism and Node refuse characters outside
 * Latin-1 in a header, and the same JSON holds them as \u escapes.
 */
export const asciiHeader = (value: string) => value.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/**
 * The `sl-violations` header for these problems, or undefined when it would
 * be too long for a client to read (Node's fetch refuses response heads over
 * 16 kB): the body always holds every message.
 */
export function violationsHeader(problems: Problem[]): string | undefined {
  const value = asciiHeader(refusal(problems).violations);
  return value.length <= 8_000 ? value : undefined;
}

/** The 422's body and its `sl-violations` header. */
export function refusal(problems: Problem[]): { body: string; violations: string } {
  return {
    body: JSON.stringify({ errors: problems.map(({ message }) => ({ error: message })) }),
    violations: JSON.stringify(problems.map(({ location, message }) => ({ location, severity: "Error", message }))),
  };
}
