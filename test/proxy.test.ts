// `npm run proxy` as a user runs it, in front of an upstream on 127.0.0.1
// that plays the service with deliberate deviations, the client pointed at
// the proxy; Ctrl-C, then the report.
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { gzipSync } from "node:zlib";
import { readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../scripts/mock.js";
import { createInvoiceXpressClient, InvoiceXpressError } from "../src/index.js";
import { startRecordingServer, type RecordingServer } from "./support/loopback.js";
import { keySpellings } from "./support/no-key.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const reportDir = `${root}build/conformance`;
const apiKey = "proxy-test-key/+'ç";
const clientBody = { client: { name: "Client Name", code: "A1" } };

// The service, with a deviation from the spec per client id.
const deviations: Record<string, [number, Record<string, string | string[]>, (key: string) => string | Buffer]> = {
  "500": [500, { "content-type": "text/html" }, () => "<html><body>Internal error</body></html>"],
  "418": [418, { "content-type": "application/json" }, (key) => JSON.stringify({ message: `I am a teapot, key ${key}` })],
  "422": [422, { "content-type": "application/json" }, () => JSON.stringify({ problem: "a shape the spec does not document" })],
  "200": [200, { "content-type": "application/json" }, () => JSON.stringify({ client: { id: 200 } })],
  // A redirect that keeps the query, to another origin.
  "301": [301, { location: "" }, () => ""],
  "990": [401, { "content-type": "application/json" }, (key) => `Access denied for ${key}`],
  "991": [422, { "content-type": "application/json", "content-encoding": "gzip", "set-cookie": ["a=1; Path=/", "b=2; Path=/"] },
    () => gzipSync(JSON.stringify({ errors: [{ error: "Name can't be blank" }] }))],
};

// The service's read answers, by id: two as the spec describes them, one not (its items are not a list).
const reads: Record<string, unknown> = {
  "1": { client: { id: 1, name: "Client Name", code: "A1", email: null, preferred_contact: {} } },
  "8": { invoice_receipt: { id: 8, status: "draft", items: [{ name: "A", unit_price: "10.0", quantity: "1.0", tax: { id: 1, name: "IVA23", value: 23.0 } }] } },
  "7": { invoice: { id: 7, status: "draft", items: "many" } },
};

let upstream: RecordingServer;
let elsewhere: RecordingServer;
let proxy: ChildProcess;
let proxyUrl: string;
let output = "";

/** `npm run proxy` with these variables; resolves once it says where it listens. */
function runProxy(env: Record<string, string>) {
  const child = spawn("npm", ["run", "proxy"], { cwd: root, env: { ...process.env, ...env }, detached: true });
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  return child;
}

beforeAll(async () => {
  rmSync(reportDir, { recursive: true, force: true });
  elsewhere = await startRecordingServer();
  upstream = await startRecordingServer((request, res) => {
    const id = /\/(\d+)\.json/.exec(request.url)?.[1] ?? "";
    if (id === "993") return res.socket!.destroy();
    if (request.method === "GET") return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(reads[id]));
    const deviation = deviations[id];
    if (!deviation) return res.writeHead(200).end();
    const [status, headers, body] = deviation;
    if (id === "301") headers.location = `${elsewhere.url}${request.url}`;
    res.writeHead(status, headers).end(body(new URL(request.url, "http://any").searchParams.get("api_key")!));
  });
  const port = await freePort();
  proxyUrl = `http://127.0.0.1:${port}`;
  proxy = runProxy({ PROXY_UPSTREAM: upstream.url, PROXY_PORT: String(port) });
  const deadline = Date.now() + 60_000;
  while (!output.includes(`Conformance proxy on ${proxyUrl}`)) {
    if (Date.now() > deadline || proxy.exitCode !== null) throw new Error(`the proxy did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 90_000);

afterAll(async () => {
  if (proxy.exitCode === null && proxy.signalCode === null) process.kill(-proxy.pid!, "SIGKILL");
  await upstream.close();
  await elsewhere.close();
});

describe("the conformance proxy", () => {
  const ix = () => createInvoiceXpressClient({ baseUrl: proxyUrl, apiKey, maxRetries: 0 });
  const settle = (promise: Promise<unknown>) => promise.then((value) => ({ value }), (error: unknown) => error);

  it("forwards a valid update once, with the key, and hands back the answer unchanged", async () => {
    await expect(ix().updateClient(1, clientBody)).resolves.toBeUndefined();
    const answered = await ix().PUT("/clients/{client-id}.json", { params: { path: { "client-id": 200 } }, body: clientBody, parseAs: "text" });
    expect(answered.data).toBe(JSON.stringify({ client: { id: 200 } }));
    const teapot = await settle(ix().updateClient(418, clientBody));
    expect(teapot).toMatchObject({ status: 418, code: "http" });
    expect(await settle(ix().updateClient(500, clientBody))).toMatchObject({ status: 500 });
    expect(await settle(ix().updateClient(422, clientBody))).toMatchObject({ status: 422 });
    const raw = await fetch(`${proxyUrl}/clients/500.json?api_key=${encodeURIComponent(apiKey)}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(clientBody),
    });
    expect([raw.status, raw.headers.get("content-type"), raw.headers.get("sl-violations"), await raw.text()]).toEqual([
      500, "text/html", null, "<html><body>Internal error</body></html>",
    ]);
    expect(upstream.received.map((r) => new URL(r.url, "http://any").pathname)).toEqual([
      "/clients/1.json", "/clients/200.json", "/clients/418.json", "/clients/500.json", "/clients/422.json", "/clients/500.json",
    ]);
    for (const request of upstream.received) expect(new URL(request.url, "http://any").searchParams.get("api_key")).toBe(apiKey);
  });

  const put = (path: string, init: { body?: string | ReadableStream; headers?: Record<string, string> } = {}) =>
    fetch(`${proxyUrl}${path}?api_key=${encodeURIComponent(apiKey)}`, {
      method: "PUT",
      headers: { "content-type": "application/json", ...init.headers },
      body: init.body ?? JSON.stringify(clientBody),
      redirect: "manual",
      ...(init.body instanceof ReadableStream ? { duplex: "half" } : {}),
    } as RequestInit);

  it("hands back a redirect as the service sent it, and follows it nowhere", async () => {
    const answer = await put("/clients/301.json", { headers: {} });
    expect(answer.status).toBe(301);
    expect(answer.headers.get("location")).toBe(`${elsewhere.url}/clients/301.json?api_key=${encodeURIComponent(apiKey).replace(/'/g, "%27")}`);
    expect(elsewhere.received).toEqual([]);
  });

  it("hands back bytes, encodings and repeated headers as they came", async () => {
    const answer = await fetch(`${proxyUrl}/clients/991.json?api_key=x`, {
      method: "PUT",
      headers: { "content-type": "application/json", "accept-encoding": "identity" },
      body: JSON.stringify(clientBody),
    });
    expect(answer.status).toBe(422);
    expect(answer.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
    expect(answer.headers.get("content-encoding")).toBe("gzip");
    // fetch decodes it, as it would the service's own answer.
    expect(await answer.json()).toEqual({ errors: [{ error: "Name can't be blank" }] });
  });

  it("hands back a body that is not what its content-type says, and a lost connection without the key", async () => {
    const notJson = await put("/clients/990.json");
    expect([notJson.status, await notJson.text()]).toEqual([401, `Access denied for ${apiKey}`]);
    const lost = await put("/clients/993.json");
    expect(lost.status).toBe(502);
    const text = await lost.text();
    for (const spelling of keySpellings(apiKey)) expect(text).not.toContain(spelling);
  });

  it("forwards a valid body sent in chunks, once", async () => {
    const before = upstream.received.length;
    const chunks = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"client":{"name":"Client'));
        controller.enqueue(new TextEncoder().encode(' Name","code":"A1"}}'));
        controller.close();
      },
    });
    expect((await put("/clients/5.json", { body: chunks })).status).toBe(200);
    expect(upstream.received.slice(before).map((r) => r.body)).toEqual([JSON.stringify(clientBody)]);
  });

  it.each(["/invoices/1.json/", "//clients/1.json", "/clients/1.JSON", "/clients%2F1.json", "/CLIENTS/1.json"])(
    "refuses a path that is not one of the spec's, %s, and never forwards it",
    async (path) => {
      const before = upstream.received.length;
      const answer = await put(path, { body: JSON.stringify({ invoice: { date: "31/02/2017" } }) });
      expect(answer.status).toBe(422);
      // Not a path of the spec, or (/CLIENTS/1.json) a document type it does not know.
      expect((await answer.json()).errors[0].error).toMatch(/^path.*: (?:Not an operation of the spec|Expected one of)/);
      expect(upstream.received.length).toBe(before);
    },
  );

  it("answers a request the spec refuses with the mock's 422, and never forwards it", async () => {
    const unchecked = createInvoiceXpressClient({ baseUrl: proxyUrl, apiKey, maxRetries: 0, validate: false });
    const before = upstream.received.length;
    const error = await settle(unchecked.updateClient(7, { client: { name: "Client Name", language: "fr" } } as never));
    expect(error).toBeInstanceOf(InvoiceXpressError);
    expect((error as InvoiceXpressError).messages).toEqual([
      "body /client/code: Required, and missing: client code, your specific code for the client.",
      "body /client/language: Expected one of en, pt or es.",
    ]);
    expect(await settle(unchecked.updateDocument("receipts" as never, 1, {} as never))).toMatchObject({ status: 422 });
    expect(upstream.received.length).toBe(before);
  });

  it("forwards reads, and checks their answers against the read's schema", async () => {
    expect(await ix().getClient(1)).toMatchObject({ id: 1, name: "Client Name" });
    expect(await ix().getDocument("invoice_receipts", 8)).toMatchObject({ id: 8, status: "draft" });
    expect(await ix().getDocument("invoices", 7)).toMatchObject({ id: 7 });
    expect(upstream.received.filter((r) => r.method === "GET").map((r) => new URL(r.url, "http://any").pathname)).toEqual([
      "/clients/1.json", "/invoice_receipts/8.json", "/invoices/7.json",
    ]);
  });

  it("on Ctrl-C writes the report with every deviation, and no key anywhere, and leaves no process", async () => {
    const exited = new Promise((resolve) => proxy.once("exit", resolve));
    process.kill(-proxy.pid!, "SIGINT");
    await exited;

    const report = JSON.parse(readFileSync(`${reportDir}/report.json`, "utf8"));
    expect(report.requests).toEqual({ updateClient: 12, updateDocument: 2, getClient: 1, getDocument: 2, unknown: 4 });
    const found = (location: string, status: number, message: RegExp, operation = expect.stringMatching(/^update/)) =>
      expect(report.violations).toContainEqual(
        expect.objectContaining({ operation, location, status, count: expect.any(Number), message: expect.stringMatching(message) }),
      );
    found("response", 500, /status code/);
    found("response", 418, /status code/);
    found("response", 422, /matches none of the shapes/);
    found("response", 200, /documents no body for 200/);
    found("request", 422, /body \/client\/code: Required, and missing: client code/);
    found("request", 422, /path \/document-type: Expected one of/);
    found("request", 422, /Not an operation of the spec/, "unknown");
    found("response", 301, /no answer with status 301 \(a redirect, not followed\)/);
    found("response", 200, /items/, "getDocument");
    expect(report.violations.filter((violation: { operation: string }) => violation.operation === "getClient")).toEqual([]);
    found("response", 401, /Could not be read as its content-type says/);
    // The request as a path: the query, where the key is, is never shown.
    for (const violation of report.violations) expect(violation.example.request).toMatch(/^(?:PUT|GET) \/[^?]*$/);

    const markdown = readFileSync(`${reportDir}/report.md`, "utf8");
    expect(markdown).toContain("| updateClient | response | 418 |");
    for (const text of [output, JSON.stringify(report), markdown]) for (const spelling of keySpellings(apiKey)) expect(text).not.toContain(spelling);
    expect(output).toContain("Violations: ");

    // Nothing of this proxy's process group is left (npm, its shell, the proxy, Prism).
    const left = execFileSync("ps", ["-eo", "pgid,args"], { encoding: "utf8" })
      .split("\n")
      .filter((line) => line.trim().split(" ")[0] === String(proxy.pid));
    expect(left).toEqual([]);
  }, 30_000);
});

describe("npm run proxy refuses, in one line, to start", () => {
  const refusal = async (env: Record<string, string | undefined>) => {
    const result = await promisify(execFile)("npm", ["run", "--silent", "proxy"], { cwd: root, env: { ...process.env, PROXY_UPSTREAM: undefined, INVOICEXPRESS_ACCOUNT: undefined, ...env } }).then(
      () => expect.fail("it started"),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    return result.stderr.trim().split("\n").filter((line) => line.startsWith("invoicexpress-openapi proxy:"));
  };

  it("without an upstream", async () => {
    expect(await refusal({})).toEqual([expect.stringMatching(/set PROXY_UPSTREAM .* or INVOICEXPRESS_ACCOUNT/)]);
  });

  it("to plain http: on a host that is not loopback", async () => {
    expect(await refusal({ PROXY_UPSTREAM: "http://acme.app.invoicexpress.com" })).toEqual([expect.stringMatching(/travel in clear/)]);
  });

  it("on a port already taken", async () => {
    const taken = await startRecordingServer();
    try {
      const port = new URL(taken.url).port;
      expect(await refusal({ PROXY_UPSTREAM: "https://acme.app.invoicexpress.com", PROXY_PORT: port })).toEqual([
        expect.stringMatching(new RegExp(`port ${port} .* already in use`)),
      ]);
    } finally {
      await taken.close();
    }
  });
});
