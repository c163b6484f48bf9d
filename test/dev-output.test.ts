// What `npm start` and `npm run docs` print, as a person runs them: the lines
// that help (where the mock and the docs are, how to stop) without the
// tools' banners; and a tool that fails still has its say.
import { execFile, execFileSync, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it, vi } from "vitest";
import { runRedocly } from "../scripts/docs.js";
import { checkPortFree, freePort, startMock } from "../scripts/mock.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
// npm's own lines: the script it runs, and its warnings about the machine's config.
const fromNpm = (line: string) => line.startsWith("> ") || line.startsWith("npm warn ");

it("`npm run docs` says where it wrote the page, and nothing else", async () => {
  const { stdout, stderr } = await run("npm", ["run", "--silent", "docs"], { cwd: root });
  expect(stdout).toBe(`wrote ${join(root, "build", "docs", "index.html")}\n`);
  expect(stderr).toBe("");
}, 60_000);

it("`npm start` says where the mock and the docs are and how to stop them, and Ctrl-C stops both", async () => {
  const [mockPort, docsPort] = [await freePort(), await freePort()];
  // Its own process group, so that Ctrl-C reaches every process of it, as from a terminal.
  const child = spawn("npm", ["start"], { cwd: root, env: { ...process.env, MOCK_PORT: String(mockPort), DOCS_PORT: String(docsPort) }, detached: true });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const closed = new Promise<number | null>((resolve) => child.once("close", resolve));
  try {
    const deadline = Date.now() + 60_000;
    while (!output.includes("Ctrl-C stops both.")) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`npm start did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const mock = `http://127.0.0.1:${mockPort}`;
    expect(output.split("\n").filter((line) => !fromNpm(line)).join("\n").trim()).toBe(
      [
        "Building the docs…",
        "Starting the mock…",
        "",
        `  Mock (Prism, validating requests): ${mock}`,
        "    any API key will do; a Prefer header asks for another answer: -H 'Prefer: code=404'",
        `    try: curl -X PUT '${mock}/clients/42.json?api_key=any' -H 'content-type: application/json' \\`,
        `           -d '{"client":{"name":"Client Name","code":"12345"}}'`,
        `  Docs:                              http://127.0.0.1:${docsPort}`,
        "",
        "  Ctrl-C stops both.",
      ].join("\n"),
    );
    // What it says is so.
    expect((await fetch(`${mock}/clients/42.json`, { method: "PUT" })).status).toBe(401);
    expect(await (await fetch(`http://127.0.0.1:${docsPort}/`)).text()).toContain("<title>InvoiceXpress update API, and the reads it needs</title>");

    process.kill(-child.pid!, "SIGINT");
    await closed;
    expect(output).not.toMatch(/unexpectedly|Error/);
    await expect(Promise.all([checkPortFree(mockPort), checkPortFree(docsPort)])).resolves.toBeDefined();
  } finally {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGKILL");
  }
}, 90_000);

/** The processes of process group `group` still running, as `ps` lists them. */
const processesOf = (group: number) =>
  execFileSync("ps", ["-eo", "pgid=,pid=,args="], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line.trim().split(/\s+/)[0] === String(group));

/**
 * Runs `npm args` in a process group of its own, as a terminal would, until
 * it prints `ready`; then kills npm's process alone with `signal`, as a
 * process manager or a closing terminal does, and expects nothing of the
 * group left and every port free.
 */
async function expectEndsWithNpm(args: string[], env: Record<string, string>, ready: string, signal: NodeJS.Signals, ports: number[]) {
  const child = spawn("npm", args, { cwd: root, env: { ...process.env, ...env }, detached: true });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  try {
    await vi.waitUntil(() => output.includes(ready) || child.exitCode !== null, { timeout: 60_000, interval: 100 });
    expect(output).toContain(ready);
    process.kill(child.pid!, signal);
    // Whatever is left ends within a few of its checks (one a second); the wait has no bearing on the verdict.
    await vi.waitUntil(() => processesOf(child.pid!).length === 0, { timeout: 20_000, interval: 250 }).catch(() => {});
    expect(processesOf(child.pid!)).toEqual([]);
    await expect(Promise.all(ports.map((port) => checkPortFree(port)))).resolves.toBeDefined();
  } finally {
    if (processesOf(child.pid!).length > 0) process.kill(-child.pid!, "SIGKILL");
  }
}

it.each(["SIGTERM", "SIGKILL"] as const)("`npm start` ends, the mock and the docs with it, when its npm is killed with %s", async (signal) => {
  const [mockPort, docsPort] = [await freePort(), await freePort()];
  await expectEndsWithNpm(["start"], { MOCK_PORT: String(mockPort), DOCS_PORT: String(docsPort) }, "Ctrl-C stops both.", signal, [mockPort, docsPort]);
}, 120_000);

it("`npm run proxy` ends, its Prism with it, when its npm is killed with SIGTERM", async () => {
  const port = await freePort();
  await expectEndsWithNpm(["run", "proxy"], { PROXY_UPSTREAM: "http://127.0.0.1:9", PROXY_PORT: String(port) }, "Conformance proxy on", "SIGTERM", [port]);
}, 120_000);

it("`npm start` on a port in use says which variable picks another, and starts nothing", async () => {
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
  const { port } = busy.address() as AddressInfo;
  try {
    const failed = await run("npm", ["start", "--silent"], { cwd: root, env: { ...process.env, MOCK_PORT: String(port), DOCS_PORT: String(await freePort()) } }).then(
      () => expect.fail("npm start started"),
      (error: { stdout: string; stderr: string }) => error,
    );
    expect(`${failed.stdout}${failed.stderr}`.trim()).toBe(`npm start: port ${port} on 127.0.0.1 is already in use; set MOCK_PORT to use another port.`);
  } finally {
    busy.close();
  }
}, 60_000);

it("a docs build Redocly refuses fails with everything Redocly said", () => {
  expect(() => runRedocly(["build-docs", join(tmpdir(), "no-such-spec.yaml"), "--output", join(tmpdir(), "no-such-docs.html")])).toThrow(
    /redocly build-docs failed \(exit code 1\):[\s\S]*no-such-spec\.yaml does not exist or is invalid/,
  );
});

it("a mock Prism cannot start fails with what Prism said", async () => {
  const dir = await mkdtemp(join(tmpdir(), "invoicexpress-openapi-mock-"));
  try {
    const [spec, preload] = [join(dir, "empty.yaml"), join(dir, "preload.cjs")];
    await writeFile(spec, "openapi: 3.1.0\ninfo: { title: Empty, version: '1' }\npaths: {}\n");
    await writeFile(preload, "");
    // Prism's own verdict is on its standard output, its usage text on its standard error.
    await expect(startMock({ port: await freePort(), installed: { spec, preload } })).rejects.toThrow(/fatal\s+No operations found/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 60_000);
