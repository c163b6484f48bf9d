// The conformance proxy: stands between a caller and the service, refuses
// (422, not forwarded) what the spec refuses, forwards the rest through a
// Prism validation proxy, which checks the service's answers against the
// spec, and hands the answer back as it came. Every violation goes into a
// report; none changes or blocks an answer.
import { spawn } from "node:child_process";
import { createServer, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from "node:http";
import { createRequire } from "node:module";
import { connect, createServer as createNetServer } from "node:net";
import { dirname, join } from "node:path";
import { documentedResponses } from "../../generated/request-schemas.js";
import { createRedactor } from "../errors.js";
import { asciiHeader, operationOf, prismProblems, refusal, requestProblems } from "../mock/refusal.js";
import { createReport, type Report } from "./report.js";

export interface ProxyOptions {
  port: number;
  upstream: string;
  /** Called with one line per request, the key masked. */
  log?: (line: string) => void;
}

export interface RunningProxy {
  url: string;
  /** Stops the proxy and Prism behind it; resolves with the report. */
  stop(): Promise<Report>;
}

const host = "127.0.0.1";
// As much of a request body as Prism itself reads.
const bodyLimit = 10 * 1024 * 1024;

export async function startConformanceProxy({ port, upstream, log = () => {} }: ProxyOptions): Promise<RunningProxy> {
  const report = createReport(upstream);
  const prism = await startPrismProxy(upstream);

  const server = createServer((req, res) => {
    handle(req).then(
      ({ status, headers, body }) => res.writeHead(status, headers).end(body),
      (error: Error) => res.writeHead(502, { "content-type": "text/plain" }).end(`The conformance proxy failed: ${error.message}`),
    );
  });

  async function handle(req: IncomingMessage) {
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    const body = await readBody(req);
    const key = new URL(url, "http://any").searchParams.get("api_key");
    const mask = key ? createRedactor(key) : (text: string) => text.replace(/([?&]api_key=)[^&#\s"']*/g, "$1***");
    const operation = operationOf(url)?.operationId ?? "unknown";
    const requestLine = mask(`${method} ${url}`);
    report.sawRequest(operation);

    const problems = requestProblems(method, url, body.toString());
    if (problems) {
      for (const { message } of problems)
        report.sawViolation({ operation, location: "request", status: 422, message }, { request: requestLine, body: mask(body.toString()) });
      log(`${requestLine} → 422, not forwarded: ${problems.length} broken rule(s)`);
      const answer = refusal(problems);
      const headers = { "content-type": "application/json; charset=utf-8", "sl-violations": asciiHeader(answer.violations) };
      return { status: 422, headers, body: answer.body };
    }

    const answer = await forward(prism.url, req, body);
    const violations = prismProblems(String(answer.headers["sl-violations"] ?? "[]"));
    // Prism does not flag a body where the spec documents none.
    if (documentedResponses[operation]?.[answer.status] === false && answer.body.length > 0)
      violations.push({ location: ["response", "body"], message: `body: The spec documents no body for ${answer.status}, and one was sent.` });
    for (const { location, message } of violations) {
      const where = location[0] === "request" ? "request" : "response";
      report.sawViolation({ operation, location: where, status: answer.status, message }, { request: requestLine, body: mask(answer.body.toString()) });
    }
    log(`${requestLine} → ${answer.status}${violations.length ? `: ${violations.length} violation(s)` : ""}`);
    // The service's answer as it came: only the header Prism adds goes.
    delete answer.headers["sl-violations"];
    return answer;
  }

  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, host, resolve));
  return {
    url: `http://${host}:${port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await prism.stop();
      return report.finish();
    },
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > bodyLimit) req.destroy(new Error("the request body is over 10 MB"));
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** The request, sent on to Prism as it came; the answer, read whole. */
function forward(prismUrl: string, req: IncomingMessage, body: Buffer) {
  return new Promise<{ status: number; headers: OutgoingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const { host: _host, ...headers } = req.headers;
    const outgoing = httpRequest(`${prismUrl}${req.url}`, { method: req.method, headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on("data", (chunk: Buffer) => chunks.push(chunk));
      answer.on("end", () => resolve({ status: answer.statusCode ?? 502, headers: { ...answer.headers }, body: Buffer.concat(chunks) }));
      answer.on("error", reject);
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** Prism's validation proxy on a free loopback port, its output (which names the key) discarded. */
async function startPrismProxy(upstream: string) {
  const require = createRequire(import.meta.url);
  let prismPackage: string;
  try {
    prismPackage = require.resolve("@stoplight/prism-cli/package.json");
  } catch {
    throw new Error("@stoplight/prism-cli is not installed: npm install --save-dev @stoplight/prism-cli@5.14.2");
  }
  const prismEntry = join(dirname(prismPackage), (require(prismPackage) as { bin: { prism: string } }).bin.prism);
  const spec = require.resolve("invoicexpress-openapi/openapi.yaml");
  const port = await freePort();
  const child = spawn(process.execPath, [prismEntry, "proxy", spec, upstream, "--host", host, "--port", String(port)], {
    stdio: "ignore",
  });
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
      }),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once("error", reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
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
