// Hostile traffic against `npm run proxy`, as a user runs it, in front of an
// upstream on 127.0.0.1 that misbehaves on purpose: the proxy forwards
// nothing the mock refuses, never falls over or hangs, never shows the key,
// keeps its memory bounded, and leaves no process behind however it ends.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { freePort } from "../scripts/mock.js";
import { startRecordingServer, type RecordingServer } from "./support/loopback.js";
import { keySpellings } from "./support/no-key.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const reportDir = `${root}build/conformance`;
const apiKey = "attack-key-4f9b2c71";
const clientBody = JSON.stringify({ client: { name: "Client Name", code: "A1" } });

let upstream: RecordingServer;
let proxy: ChildProcess;
let proxyUrl: string;
let output = "";
// Requests the upstream holds without answering, to be released at the end;
// and how many of them the proxy gave up on (their connection closed).
const held: (() => void)[] = [];
let abandoned = 0;

function runProxy(env: Record<string, string>) {
  const child = spawn("npm", ["run", "proxy"], { cwd: root, env: { ...process.env, ...env }, detached: true });
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  return child;
}
async function started(child: ChildProcess, url: string) {
  await vi.waitUntil(() => output.includes(`Conformance proxy on ${url}`) || child.exitCode !== null, { timeout: 60_000, interval: 100 });
  if (child.exitCode !== null) throw new Error(`the proxy did not start:\n${output}`);
}
/** The pids of the proxy's node process and of the Prism it started, by what they run. */
const processesOf = (port: string) =>
  execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line.includes(port) || line.includes("src/cli.ts proxy"))
    .map((line) => line.trim());
const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) * 1024;

beforeAll(async () => {
  rmSync(reportDir, { recursive: true, force: true });
  upstream = await startRecordingServer((request, res) => {
    const id = /\/(\d+)\.json/.exec(request.url)?.[1] ?? "";
    // A status no HTTP answer may have, and a switch of protocols.
    if (id === "99") return res.socket!.end("HTTP/1.1 99 Odd\r\ncontent-length: 0\r\n\r\n");
    if (id === "101") return res.socket!.end("HTTP/1.1 101 Switching Protocols\r\nupgrade: other\r\nconnection: upgrade\r\n\r\n");
    if (id === "7777") {
      res.once("close", () => res.writableFinished || abandoned++);
      return void held.push(() => res.writableEnded || res.writeHead(200).end());
    }
    res.writeHead(200).end();
  });
  const port = await freePort();
  proxyUrl = `http://127.0.0.1:${port}`;
  proxy = runProxy({ PROXY_UPSTREAM: upstream.url, PROXY_PORT: String(port), PROXY_TIMEOUT_MS: "1500" });
  await started(proxy, proxyUrl);
}, 90_000);

afterAll(async () => {
  for (const release of held) release();
  if (proxy.exitCode === null && proxy.signalCode === null) process.kill(-proxy.pid!, "SIGKILL");
  await upstream.close();
});

const send = (path: string, init: RequestInit & { query?: string } = {}) =>
  fetch(`${proxyUrl}${path}?${init.query ?? `api_key=${apiKey}`}`, { method: "PUT", headers: { "content-type": "application/json" }, body: clientBody, ...init });
const forwarded = () => upstream.received.length;

describe("what the mock refuses is not forwarded", () => {
  it.each([
    ["form-encoded", "application/x-www-form-urlencoded", 'client[name]=x&client[language]=fr'],
    ["JSON that a form parser would read as two fields", "application/x-www-form-urlencoded", JSON.stringify({ client: { name: "x&client[language]=fr", code: "A1" } })],
    ["text", "text/plain", clientBody],
    ["XML", "application/xml", "<client><name>x</name></client>"],
  ])("a body sent as %s", async (_name, type, body) => {
    const before = forwarded();
    const answer = await send("/clients/1.json", { headers: { "content-type": type }, body });
    expect(answer.status).toBe(422);
    expect(JSON.stringify(await answer.json())).toContain("header content-type: Expected application/json");
    expect(forwarded()).toBe(before);
  });

  it("a body with no content type, and one that is not UTF-8", async () => {
    const before = forwarded();
    expect((await send("/clients/1.json", { headers: {}, body: new Blob([clientBody]) })).status).toBe(422);
    const latin1 = Buffer.from('{"client":{"name":"Jos\xe9","code":"A1"}}', "latin1");
    const answer = await send("/clients/1.json", { body: latin1 });
    expect([answer.status, JSON.stringify(await answer.json())]).toEqual([422, expect.stringContaining("body: Not UTF-8.")]);
    expect(forwarded()).toBe(before);
  });

  it("a parameter or a second key after a semicolon, and two content types", async () => {
    const before = forwarded();
    for (const query of [`api_key=${apiKey};client[language]=fr`, `api_key=${apiKey};api_key=other`]) expect((await send("/clients/1.json", { query })).status).toBe(422);
    const headers = new Headers([["content-type", "application/json"], ["content-type", "application/x-www-form-urlencoded"]]);
    expect((await send("/clients/1.json", { headers })).status).toBe(422);
    expect(forwarded()).toBe(before);
  });

  it("another query parameter beside the key, or the key twice", async () => {
    const before = forwarded();
    const extra = await send("/clients/1.json", { query: `api_key=${apiKey}&client[language]=fr` });
    expect(JSON.stringify(await extra.json())).toContain("query client[language]: Not a parameter of the spec");
    const twice = await send("/clients/1.json", { query: `api_key=decoy&api_key=${apiKey}` });
    expect([twice.status, JSON.stringify(await twice.json())]).toEqual([422, expect.stringContaining("query api_key: Given more than once")]);
    expect(forwarded()).toBe(before);
  });
});

describe("it never falls over, and never waits for ever", () => {
  it("a body of 20,000 unknown fields: refused, and the proxy answers the next request", async () => {
    const fields = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`field_${i}`, i]));
    const answer = await send("/clients/1.json", { body: JSON.stringify({ client: { name: "A", code: "B", ...fields } }) });
    expect(answer.status).toBe(422);
    expect((await send("/clients/1.json")).status).toBe(200);
  });

  it("a body over 1 MiB: 413, and not forwarded", async () => {
    const before = forwarded();
    const answer = await send("/clients/1.json", { body: JSON.stringify({ client: { name: "x".repeat(2 * 1024 * 1024), code: "A1" } }) });
    expect([answer.status, await answer.text()]).toEqual([413, expect.stringMatching(/over 1048576 bytes/)]);
    expect(forwarded()).toBe(before);
  });

  it.each(["99", "101"])("an upstream answer with status %s: 502 with a sentence, and the proxy lives on", async (id) => {
    const answer = await send(`/clients/${id}.json`);
    expect([answer.status, await answer.text()]).toEqual([502, expect.stringMatching(/^The (?:service answered HTTP \d+, which cannot be relayed|conformance proxy failed)/)]);
    expect((await send("/clients/1.json")).status).toBe(200);
  });

  it("an upstream that does not answer: 504 after PROXY_TIMEOUT_MS", async () => {
    const answer = await send("/clients/7777.json");
    expect([answer.status, await answer.text()]).toEqual([504, "The service did not answer within 1500 ms."]);
  });

  it("a caller who leaves cancels the upstream request", async () => {
    const controller = new AbortController();
    const before = abandoned;
    const leaving = send("/clients/7777.json", { signal: controller.signal }).catch(() => "left");
    await vi.waitUntil(() => held.length >= 2, { timeout: 5_000 });
    controller.abort();
    expect(await leaving).toBe("left");
    await vi.waitUntil(() => abandoned > before, { timeout: 5_000, interval: 50 });
  });

  it("more than 8 requests at once: the ninth gets 503, with Retry-After", async () => {
    const controllers = Array.from({ length: 8 }, () => new AbortController());
    const waiting = controllers.map((controller) => send("/clients/7777.json", { signal: controller.signal }).catch(() => undefined));
    await vi.waitUntil(() => held.length >= 2 + 8, { timeout: 5_000 });
    const ninth = await send("/clients/1.json");
    expect([ninth.status, ninth.headers.get("retry-after")]).toEqual([503, "1"]);
    for (const controller of controllers) controller.abort();
    await Promise.all(waiting);
  });

  it("16 bodies of 10 MB at once: memory stays bounded", async () => {
    const [pid] = processesOf("src/cli.ts proxy").map((line) => Number(line.split(" ")[0])).filter((n) => rssOf(n) > 0);
    const before = rssOf(pid!);
    const big = new Uint8Array(10 * 1024 * 1024).fill(32);
    await Promise.all(Array.from({ length: 16 }, () => send("/clients/1.json", { body: big }).then((answer) => answer.status, () => 0)));
    expect(rssOf(pid!) - before).toBeLessThan(96 * 1024 * 1024);
  }, 60_000);
});

describe("the report, and the end", () => {
  it("masks every value given as the key, in the report and the summary, and violation messages too", async () => {
    await send("/clients/1.json", { query: `api_key=decoy-value-1&api_key=${apiKey}` });
    await send("/clients/1.json", { body: JSON.stringify({ client: { name: "A", code: "B", [apiKey]: apiKey } }) });
    const exited = new Promise((resolve) => proxy.once("exit", resolve));
    process.kill(-proxy.pid!, "SIGINT");
    await exited;
    const texts = [output, readFileSync(`${reportDir}/report.json`, "utf8"), readFileSync(`${reportDir}/report.md`, "utf8")];
    for (const text of texts) for (const spelling of [...keySpellings(apiKey), "decoy-value-1"]) expect(text).not.toContain(spelling);
    expect(texts[1]).toContain("query api_key: Given more than once");
  }, 30_000);

  it.each([
    ["the proxy is killed (SIGKILL)", (pids: { node: number; npm: number }) => process.kill(pids.node, "SIGKILL")],
    ["npm run proxy's npm alone is killed (SIGKILL)", (pids: { node: number; npm: number }) => process.kill(pids.npm, "SIGKILL")],
  ])("no process is left when %s", async (_name, kill) => {
    const port = String(await freePort());
    output = "";
    const pids = () => processesOf("src/cli.ts proxy").map((line) => Number(line.split(" ")[0]));
    const others = new Set(pids());
    const prisms = () =>
      execFileSync("ps", ["-eo", "pid,args"], { encoding: "utf8" }).split("\n").filter((line) => /prism-cli.* proxy /.test(line)).map((line) => Number(line.trim().split(" ")[0]));
    const prismsBefore = new Set(prisms());
    const child = runProxy({ PROXY_UPSTREAM: upstream.url, PROXY_PORT: port });
    await started(child, `http://127.0.0.1:${port}`);
    const ours = () => pids().filter((pid) => !others.has(pid));
    const node = ours().find((pid) => pid !== child.pid && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("node"))!;
    expect(prisms().filter((pid) => !prismsBefore.has(pid))).toHaveLength(1);
    kill({ node, npm: child.pid! });
    // The Prism this proxy started (any that was not running before) ends with it.
    await vi.waitUntil(() => prisms().every((pid) => prismsBefore.has(pid)), { timeout: 15_000, interval: 200 });
    await vi.waitUntil(() => ours().length === 0, { timeout: 15_000, interval: 200 });
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {}
  }, 90_000);
});
