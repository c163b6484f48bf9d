// Loaded into the Prism mock of the spec with `--require`: the package ships
// it built as `invoicexpress-openapi/prism-preload.cjs`, and `npm start` and
// the contract tests load the same code.
//
// Prism answers a request the spec refuses with 422 and the spec's first
// error example as the body, whatever the mistake; the rules broken are only
// in its `sl-violations` header, in Ajv's words (a 250-character regular
// expression for a date). Here such an answer names each broken rule of this
// request, in the body, in one of the service's error shapes
// (`{"errors":[{"error":"…"}]}`), and in the header, with the sentences the
// client's RequestValidationError uses: both come from src/validation.ts and
// the rules generated from the spec. Answers asked for with `Prefer`, and
// every other status, pass untouched.
import { IncomingMessage, ServerResponse } from "node:http";
import { requests } from "../../generated/request-schemas.js";
import { requestIssues } from "../validation.js";

// Prism 5.14.2 sends its violations as raw JSON in a header; when a message
// holds a character outside Latin-1 (the country list has "Côte d’Ivoire"),
// Node refuses the header and Prism drops the connection. JSON \u escapes
// keep the same JSON in a header Node accepts.
const setHeader = ServerResponse.prototype.setHeader;
ServerResponse.prototype.setHeader = function (name, value) {
  if (typeof value === "string" && name.toLowerCase() === "sl-violations") {
    value = value.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  }
  return setHeader.call(this, name, value);
};

// Prism reads the body through a library that keeps it to itself: the body
// is recorded as it arrives instead (up to Prism's own limit of 10 MB).
const bodyLimit = 10 * 1024 * 1024;
const bodies = new WeakMap<IncomingMessage, { chunks: Buffer[]; size: number }>();
const push = IncomingMessage.prototype.push;
IncomingMessage.prototype.push = function (this: IncomingMessage, chunk: unknown, encoding?: BufferEncoding) {
  if (Buffer.isBuffer(chunk)) {
    const body = bodies.get(this) ?? { chunks: [], size: 0 };
    if (body.size + chunk.length <= bodyLimit) body.chunks.push(chunk);
    body.size += chunk.length;
    bodies.set(this, body);
  }
  return push.call(this, chunk, encoding);
};

const end = ServerResponse.prototype.end;
ServerResponse.prototype.end = function (this: ServerResponse, ...args: unknown[]) {
  const violations = this.getHeader("sl-violations");
  if (this.statusCode === 422 && typeof violations === "string" && !this.headersSent) {
    const problems = requestProblems(this.req) ?? prismProblems(violations);
    const body = JSON.stringify({ errors: problems.map(({ message }) => ({ error: message })) });
    this.setHeader("sl-violations", JSON.stringify(problems.map(({ location, message }) => ({ location, severity: "Error", message }))));
    this.setHeader("content-type", "application/json; charset=utf-8");
    this.setHeader("content-length", Buffer.byteLength(body));
    return end.call(this, body, "utf8", undefined);
  }
  return end.apply(this, args as never);
} as typeof ServerResponse.prototype.end;

interface Problem {
  /** Where, as Prism says it: ["request", "body", "invoice", "date"]. */
  location: string[];
  /** The field and the rule: "body /invoice/date: Expected a real calendar date …". */
  message: string;
}

// The spec's path templates as patterns, the ones with fewer parameters
// first, as Prism routes: /clients/1.json is a client, not a document type.
const routes = Object.keys(requests)
  .sort((a, b) => a.split("{").length - b.split("{").length)
  .map((template) => {
    const names = [...template.matchAll(/\{([^{}]+)\}/g)].map((match) => match[1]!);
    const pattern = new RegExp(`^${template.replace(/[.]/g, "\\.").replace(/\{[^{}]+\}/g, "([^/]*)")}$`);
    return { template, names, pattern };
  });

/** This request's problems in the client's words, or undefined when the client's rules find none. */
function requestProblems(request: IncomingMessage): Problem[] | undefined {
  const { pathname } = new URL(request.url ?? "/", "http://mock");
  const route = routes.find(({ pattern }) => pattern.test(pathname));
  if (!route) return undefined;
  const values = route.pattern.exec(pathname)!.slice(1).map(decodeURIComponent);
  // Prism reads a path parameter as the type its schema gives: "12" is 12.
  const params = Object.fromEntries(route.names.map((name, i) => [name, /^-?\d+(\.\d+)?$/.test(values[i]!) ? Number(values[i]) : values[i]]));
  const recorded = bodies.get(request);
  let body: unknown;
  try {
    body = recorded && JSON.parse(Buffer.concat(recorded.chunks).toString());
  } catch {
    return undefined;
  }
  const issues = requestIssues(request.method ?? "GET", route.template, params, body);
  if (issues.length === 0) return undefined;
  return issues.map((issue) => ({
    location: ["request", issue.in, ...issue.path.split("/").slice(1).map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))],
    message: `${issue.in}${issue.path && ` ${issue.path}`}: ${issue.message}`,
  }));
}

/** Prism's own violations, where the client's rules find none, made readable: no regular expressions. */
function prismProblems(header: string): Problem[] {
  let violations: { location?: string[]; message?: string }[];
  try {
    violations = JSON.parse(header);
  } catch {
    violations = [];
  }
  return violations.map(({ location = [], message = "" }) => ({
    location,
    message: `${location.slice(1, 2).join("")} /${location.slice(2).join("/")}: ${message.replace(/ must match pattern "(?:[^"\\]|\\.)*"/, " does not have the form the spec requires")}`,
  }));
}
