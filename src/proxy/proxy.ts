// The conformance proxy: stands between a caller and the service, refuses
// (422, not forwarded) what the spec refuses, sends the rest to the service
// itself and hands the answer back as it came (no redirect followed, nothing
// decoded). Each answer is then checked against the spec by Prism's
// validation proxy, which is sent the same request and answered, from
// memory, with the service's answer: Prism checks, it never reaches the
// service. Every violation goes into a report; none changes an answer.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { request as httpsRequest } from "node:https";
import { createRequire } from "node:module";
import { connect } from "node:net";
import { documentedResponses } from "../../generated/request-schemas.js";
import { deadline } from "../abort.js";
import { createRedactor } from "../errors.js";
import { messageProblems, operationOf, prismProblems, refusal, requestProblems, violationsHeader, type Problem } from "../mock/refusal.js";
import { spawnPrism } from "../prism.js";
import { freePort } from "./ports.js";
import { createReport, type Report } from "./report.js";

export interface ProxyOptions {
  port: number;
  /** The service's origin, such as https://acme.app.invoicexpress.com. */
  upstream: string;
  /** Called with one line per request: the path, never the query (where the key is). */
  log?: (line: string) => void;
  /** How long the service may take to answer, in milliseconds, before the caller gets 504. Default 30 000. */
  timeoutMs?: number;
}

export interface RunningProxy {
  url: string;
  /** Stops the proxy and Prism behind it; resolves with the report. */
  stop(): Promise<Report>;
}

interface Answer {
  status: number;
  statusMessage: string;
  /** As received, in order, repeated headers kept: [name, value, name, value, …]. */
  rawHeaders: string[];
  body: Buffer;
}

const host = "127.0.0.1";
// An update's body is a few kilobytes; with at most `concurrent` requests
// at once, what the proxy holds stays within a few megabytes.
export const bodyLimit = 1024 * 1024;
export const concurrent = 8;
// An answer of the spec is a few kilobytes; one far bigger is not held.
export const answerLimit = 16 * 1024 * 1024;
// The most violations of one request the report counts one by one: past
// it, a request costs the same whatever it breaks.
const violationsCounted = 50;
// Headers about one connection, not about the message.
const hopByHop = /^(?:connection|keep-alive|proxy-.*|te|trailer|transfer-encoding|upgrade)$/i;
const plain = (status: number, text: string): Answer => ({
  status,
  statusMessage: "",
  rawHeaders: ["content-type", "text/plain; charset=utf-8"],
  body: Buffer.from(text),
});

export async function startConformanceProxy({ port, upstream, log = () => {}, timeoutMs = 30_000 }: ProxyOptions): Promise<RunningProxy> {
  const report = createReport(upstream);
  const remembered = new Map<string, Answer>();
  const replay = await startReplayServer(remembered);
  const prism = await startPrismProxy(replay.url);
  let nextReplay = 0;
  let active = 0;

  const server = createServer((req, res) => {
    // A caller who leaves cancels what the proxy does for it.
    const left = new AbortController();
    res.once("close", () => res.writableFinished || left.abort());
    if (active >= concurrent) {
      req.resume();
      return relay(res, { ...plain(503, `The conformance proxy is busy: at most ${concurrent} requests at once. Try again.`), rawHeaders: ["content-type", "text/plain; charset=utf-8", "retry-after", "1"] });
    }
    active++;
    handle(req, left.signal)
      .catch((error: Error) => plain(502, `The conformance proxy failed: ${error.message}`))
      .then((answer) => relay(res, answer))
      .finally(() => active--);
  });

  /** Writes an answer; one that cannot be relayed as it came (a status of 99, a control character) becomes a 502. */
  function relay(res: ServerResponse, answer: Answer) {
    if (res.destroyed) return;
    try {
      res.writeHead(answer.status, answer.statusMessage, answer.rawHeaders).end(answer.body);
    } catch (error) {
      res.removeHeader("content-length");
      const text = `The service's answer could not be relayed (HTTP ${answer.status}): ${(error as Error).message}`;
      // A reason phrase of its own: writeHead keeps the refused one it was given.
      res.writeHead(502, "Bad Gateway", { "content-type": "text/plain; charset=utf-8" }).end(text);
    }
  }

  async function handle(req: IncomingMessage, left: AbortSignal): Promise<Answer> {
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    // Every value given as the key is masked, the last as much as the first.
    const mask = masker(new URL(url, "http://any").searchParams.getAll("api_key"));
    const route = operationOf(method, url);
    const operation = route?.operationId ?? "unknown";
    // The path only: the query holds the key, however a caller spells it.
    const requestLine = mask(`${method} ${url.split("?")[0]}`);
    report.sawRequest(operation);
    const body = await readBody(req, timeoutMs);
    if (!body) {
      log(`${requestLine} → 413, not forwarded: a body over ${bodyLimit} bytes`);
      return plain(413, `The request body is over ${bodyLimit} bytes, more than any update needs; it was not forwarded.`);
    }
    // The body masked once, and only if a report needs it.
    let masked: string | undefined;
    const maskedBody = () => (masked ??= mask(body.toString()));

    // Not an operation of the spec (its method and path), a body the spec
    // refuses, or a message the service could read otherwise than it was checked.
    const contentTypes = pairs(req.rawHeaders).filter(([name]) => name.toLowerCase() === "content-type").map(([, value]) => value);
    const problems = [...messageProblems(url, contentTypes, body), ...(requestProblems(method, url, body.toString(), route) ?? [])];
    if (problems.length > 0) {
      for (const { message } of problems.slice(0, violationsCounted))
        report.sawViolation({ operation, location: "request", status: 422, message: mask(message) }, { request: requestLine, body: maskedBody() });
      log(`${requestLine} → 422, not forwarded: ${problems.length} broken rule(s)`);
      const shown = problems.map((problem) => ({ ...problem, message: mask(problem.message) }));
      const answer = refusal(shown);
      const header = violationsHeader(shown);
      const rawHeaders = ["content-type", "application/json; charset=utf-8", ...(header ? ["sl-violations", header] : [])];
      return { status: 422, statusMessage: "Unprocessable Entity", rawHeaders, body: Buffer.from(answer.body) };
    }

    let answer: Answer;
    const answered = deadline(timeoutMs, left);
    try {
      answer = await send(new URL(`${upstream}${url}`), method, req.rawHeaders, body, answered.signal);
    } catch (error) {
      if (left.aborted) throw new Error("the caller left.");
      if (/answer is over/.test((error as Error).message)) {
        const message = `The service's answer is over ${answerLimit} bytes: not relayed.`;
        report.sawViolation({ operation, location: "response", status: 502, message }, { request: requestLine, body: "" });
        return plain(502, message);
      }
      if ((error as Error).name === "TimeoutError") {
        log(`${requestLine} → 504: the service did not answer within ${timeoutMs} ms`);
        report.sawViolation({ operation, location: "response", status: 504, message: `The service did not answer within ${timeoutMs} ms.` }, { request: requestLine, body: "" });
        return plain(504, `The service did not answer within ${timeoutMs} ms.`);
      }
      const code = (error as NodeJS.ErrnoException).code ?? "error";
      // Node's HTTP parser names what it could not read HPE_…: the service answered, in bytes that are not HTTP.
      const what = code.startsWith("HPE_") ? "the service's answer is not HTTP that Node can read" : "the service could not be reached";
      log(`${requestLine} → ${what} (${code})`);
      throw new Error(`${what} (${code}).`);
    } finally {
      answered.clear();
    }
    // A status no HTTP answer can have, or one the proxy cannot hand on (an
    // upgrade): the caller gets 502, and the report says why.
    if (!(answer.status >= 200 && answer.status <= 599)) {
      const message = `The service answered HTTP ${answer.status}, which cannot be relayed.`;
      report.sawViolation({ operation, location: "response", status: 502, message }, { request: requestLine, body: mask(answer.body.subarray(0, 600).toString()) });
      log(`${requestLine} → 502: ${message}`);
      return plain(502, message);
    }
    const violations = await check(operation, method, url, req.rawHeaders, body, answer);
    let maskedAnswer: string | undefined;
    for (const { location, message } of violations.slice(0, violationsCounted)) {
      const where = location[0] === "request" ? "request" : "response";
      report.sawViolation({ operation, location: where, status: answer.status, message: mask(message) }, { request: requestLine, body: (maskedAnswer ??= mask(answer.body.subarray(0, 600).toString())) });
    }
    log(`${requestLine} → ${answer.status}${violations.length ? `: ${violations.length} violation(s)` : ""}`);
    return answer;
  }

  /** What the spec says of the service's answer: Prism's verdict, and what Prism does not look at. */
  async function check(operation: string, method: string, url: string, rawHeaders: string[], body: Buffer, answer: Answer): Promise<Problem[]> {
    const documented = documentedResponses[operation] ?? {};
    // Prism would follow a redirect, to wherever it points.
    if (answer.status >= 300 && answer.status < 400)
      return [{ location: ["response"], message: `The spec documents no answer with status ${answer.status}${headerOf(answer.rawHeaders, "location") ? " (a redirect, not followed)" : ""}.` }];
    const own: Problem[] = [];
    // Prism does not flag a body where the spec documents none.
    if (documented[answer.status] === false && answer.body.length > 0)
      own.push({ location: ["response", "body"], message: `body: The spec documents no body for ${answer.status}, and one was sent.` });
    const id = String(nextReplay++);
    remembered.set(id, answer);
    const checkedIn = deadline(timeoutMs);
    try {
      // The key stays out of Prism: it sees a stand-in.
      const checkedUrl = url.replace(/([?&;]api(?:_|%5F)key=)[^&#;]*/gi, "$1checked-by-the-conformance-proxy");
      const checked = await send(new URL(`${prism.url}${checkedUrl}`), method, [...rawHeaders, "x-conformance-replay", id], body, checkedIn.signal).catch(() => undefined);
      if (!checked) return [...own, { location: ["response"], message: `The answer could not be checked within ${timeoutMs} ms.` }];
      // Prism answers a problem of its own when it cannot read the answer.
      const problem = (headers: string[]) => /problem\+json/.test(headerOf(headers, "content-type") ?? "");
      if (checked.status !== answer.status || (problem(checked.rawHeaders) && !problem(answer.rawHeaders))) {
        own.push({ location: ["response", "body"], message: "body: Could not be read as its content-type says." });
        if (documented[answer.status] === undefined)
          own.push({ location: ["response"], message: `The spec documents no answer with status ${answer.status}.` });
        return own;
      }
      // The request was checked before it was sent, by the spec's rules as
      // the client reads them (one wording, one verdict): Prism judges the
      // answer only.
      const answerProblems = prismProblems(headerOf(checked.rawHeaders, "sl-violations") ?? "[]").filter(({ location }) => location[0] !== "request");
      return [...own, ...answerProblems];
    } finally {
      checkedIn.clear();
      remembered.delete(id);
    }
  }

  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, host, resolve));
  return {
    url: `http://${host}:${port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await prism.stop();
      await replay.stop();
      return report.finish();
    },
  };
}

/** Masks each key in every form it takes on the wire, and as JSON and HTML would escape it. */
function masker(keys: string[]): (text: string) => string {
  const query = (text: string) => text.replace(/([?&;]api_key[^=&]*=)[^&#\s"';]*/gi, "$1***");
  const each = keys.filter(Boolean).map((key) => {
    const redact = createRedactor(key);
    const escaped = [JSON.stringify(key).slice(1, -1), key.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")];
    return (text: string) => escaped.reduce((masked, form) => (form === key ? masked : masked.split(form).join("***")), redact(text));
  });
  return (text) => each.reduce((masked, mask) => mask(masked), query(text));
}

const pairs = (rawHeaders: string[]) => rawHeaders.flatMap((name, i) => (i % 2 === 0 ? [[name, rawHeaders[i + 1]!] as const] : []));
const headerOf = (rawHeaders: string[], wanted: string) => pairs(rawHeaders).find(([name]) => name.toLowerCase() === wanted)?.[1];
/** The request's body, or undefined when it is over `bodyLimit` (the rest is read and dropped); a body slower than `timeoutMs` ends the request. */
function readBody(req: IncomingMessage, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => req.destroy(new Error("the request body took too long")), timeoutMs);
    req.once("close", () => clearTimeout(timer));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= bodyLimit) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on("end", () => resolve(size <= bodyLimit ? Buffer.concat(chunks) : undefined));
    req.on("error", reject);
  });
}

/**
 * Sends a request as it came (its headers in order, less those about the
 * connection; the body whole, with its length) and reads the answer whole,
 * as it came: no redirect followed, nothing decoded.
 */
function send(target: URL, method: string, rawHeaders: string[], body: Buffer, signal?: AbortSignal): Promise<Answer> {
  const headers = [...pairs(rawHeaders).filter(([name]) => !hopByHop.test(name) && !/^(?:host|content-length)$/i.test(name)).flat(), "host", target.host];
  if (body.length > 0 || method !== "GET") headers.push("content-length", String(body.length));
  const request = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(target, { method, headers, setHost: false, ...(signal && { signal }) }, (answer) => {
      // A 1xx read as the answer (a 101 without Upgrade, say): what follows
      // on its connection is no longer HTTP, so the connection goes, rather
      // than back to the pool for the next request.
      if (answer.statusCode! < 200) {
        answer.socket.destroy();
        return resolve({ status: answer.statusCode!, statusMessage: "", rawHeaders: [], body: Buffer.alloc(0) });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      answer.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        // An answer bigger than any the spec describes is not held, nor relayed.
        if ((size += chunk.length) > answerLimit) outgoing.destroy(new Error(`the service's answer is over ${answerLimit} bytes`));
      });
      answer.on("end", () =>
        resolve({
          status: answer.statusCode ?? 502,
          statusMessage: answer.statusMessage ?? "",
          rawHeaders: pairs(answer.rawHeaders).filter(([name]) => !hopByHop.test(name)).flat(),
          body: Buffer.concat(chunks),
        }),
      );
      answer.on("error", reject);
    });
    outgoing.on("error", (error) => reject(signal?.aborted ? signal.reason : error));
    // A switch of protocols is no answer the proxy can hand on.
    outgoing.on("upgrade", (answer, socket) => {
      socket.destroy();
      resolve({ status: answer.statusCode ?? 101, statusMessage: "", rawHeaders: [], body: Buffer.alloc(0) });
    });
    outgoing.end(body);
  });
}

/** Answers Prism with the service's answer that a request's replay header names. */
async function startReplayServer(remembered: Map<string, Answer>) {
  const server = createServer((req, res) => {
    req.resume();
    const answer = remembered.get(String(req.headers["x-conformance-replay"]));
    if (!answer) return res.writeHead(500).end();
    // Prism reads no reason phrase; one Node cannot write (a control character) would throw here.
    try {
      res.writeHead(answer.status, answer.rawHeaders).end(answer.body);
    } catch {
      res.writeHead(500, "Not Replayed").end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://${host}:${port}`,
    stop: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Prism's validation proxy on a free loopback port, in front of the replay server; its output discarded. */
async function startPrismProxy(upstream: string) {
  const require = createRequire(import.meta.url);
  const spec = require.resolve("invoicexpress-openapi/openapi.yaml");
  const port = await freePort(host);
  const child = spawnPrism(["proxy", spec, upstream, "--host", host, "--port", String(port)], "ignore");
  const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`Prism stopped (exit code ${code}) before it listened.`))));
  exited.catch(() => {});
  await Promise.race([exited, listening(port, 60_000)]);
  return {
    url: `http://${host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        // A Prism too busy to end on SIGTERM (a loaded machine) still ends with the proxy.
        setTimeout(() => child.kill("SIGKILL"), 3_000).unref();
      }),
  };
}

/** Resolves once something accepts connections on the port: a probe request could reach the account. */
async function listening(port: number, withinMs: number) {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, host, () => socket.end(() => resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Prism did not listen on port ${port} within ${withinMs} ms.`);
}
