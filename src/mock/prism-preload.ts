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
// client's RequestValidationError uses (see refusal.ts). Answers asked for
// with `Prefer`, and every other status, pass untouched.
import { IncomingMessage, ServerResponse } from "node:http";
import { asciiHeader, prismProblems, refusal, requestProblems, violationsHeader, type Problem } from "./refusal.js";

// Prism 5.14.2 sends its violations as raw JSON in a header; when a message
// holds a character outside Latin-1 (the country list has "Côte d’Ivoire"),
// Node refuses the header and Prism drops the connection. JSON \u escapes
// keep the same JSON in a header Node accepts.
const setHeader = ServerResponse.prototype.setHeader;
ServerResponse.prototype.setHeader = function (name, value) {
  if (typeof value === "string" && name.toLowerCase() === "sl-violations") value = asciiHeader(value);
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
  if (this.headersSent) return end.apply(this, args as never);
  const violations = this.getHeader("sl-violations");
  // The request is checked only when its answer is to be rewritten, and then once.
  let checked: Problem[] | undefined | null = null;
  const ours = () => {
    const recorded = bodies.get(this.req);
    const requestBody = recorded && Buffer.concat(recorded.chunks).toString();
    return checked === null ? (checked = requestProblems(this.req.method ?? "GET", this.req.url ?? "/", requestBody)) : checked;
  };
  // A body Prism could not parse gets the 400 of its body parser: the proxy
  // and the rest of the mock answer a refused body with 422.
  const notJson = this.statusCode === 400 && ours()?.some(({ message }) => message === "body: Not JSON.");
  // A read documents no 422, so Prism answers one of its own making, with no
  // violations header: it gets the client's words too.
  if ((this.statusCode === 422 && (typeof violations === "string" || ours())) || notJson) {
    const problems = ours() ?? prismProblems(String(violations));
    const answer = refusal(problems);
    this.statusCode = 422;
    this.setHeader("content-type", "application/json; charset=utf-8");
    this.setHeader("content-length", Buffer.byteLength(answer.body));
    setViolations(this, problems);
    return end.call(this, answer.body, "utf8", undefined);
  }
  // Another answer Prism adds violations to (a 401 for a missing key, say):
  // the same sentences in the header, the body left as it is.
  if (typeof violations === "string") setViolations(this, ours() ?? prismProblems(violations));
  return end.apply(this, args as never);
} as typeof ServerResponse.prototype.end;

function setViolations(response: ServerResponse, problems: Problem[]) {
  const header = violationsHeader(problems);
  if (header === undefined) response.removeHeader("sl-violations");
  else response.setHeader("sl-violations", header);
}
