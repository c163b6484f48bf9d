// The package as users get it: packed, linted, installed into a fresh
// project, type-checked strictly and run as ESM and as CommonJS.
import { execFile, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createInvoiceXpressClient } from "../src/index.js";
import { checkPortFree, freePort, startMock } from "../scripts/mock.js";
import { installInto, packPackage } from "./support/pack.js";

const run = promisify(execFile);
const devDependency = (name: string) => (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { devDependencies: Record<string, string> }).devDependencies[name];
const root = fileURLToPath(new URL("..", import.meta.url));
const bin = (name: string) => join(root, "node_modules", ".bin", name);
let workdir: string;
let tarball: string;

beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), "invoicexpress-openapi-pack-"));
  ({ tarball, files: packedFiles } = await packPackage(workdir));
}, 120_000);
afterAll(() => rm(workdir, { recursive: true, force: true }));
let packedFiles: string[] = [];

describe("the packed package", () => {
  it("holds only what consumers need", () => {
    expect(packedFiles).toEqual(
      [
        "LICENSE",
        "README.md",
        "bin/invoicexpress-openapi.js",
        "dist/cli.js",
        "dist/dates.cjs",
        "dist/dates.d.cts",
        "dist/dates.d.ts",
        "dist/dates.js",
        "dist/index.cjs",
        "dist/index.d.cts",
        "dist/index.d.ts",
        "dist/index.js",
        "dist/prism-preload.cjs",
        "dist/redis.cjs",
        "dist/redis.d.cts",
        "dist/redis.d.ts",
        "dist/redis.js",
        "dist/testing.cjs",
        "dist/testing.d.cts",
        "dist/testing.d.ts",
        "dist/testing.js",
        "openapi/invoicexpress.yaml",
        "package.json",
      ],
    );
  });

  it("the main entry holds none of the testing entry, nor msw", () => {
    for (const file of ["dist/index.js", "dist/index.cjs"]) {
      const text = readFileSync(join(root, file), "utf8");
      expect(text).not.toMatch(/createFakeAccount|failNext|msw/);
    }
  });

  it("publint reports nothing", async () => {
    const { stdout } = await run(bin("publint"), ["--strict", tarball], { cwd: root });
    expect(stdout).toContain("All good!");
  });

  it("arethetypeswrong reports nothing", async () => {
    const untypedEntries = ["./openapi.yaml", "./prism-preload.cjs"];
    const { stdout } = await run(bin("attw"), [tarball, "--profile", "node16", "--exclude-entrypoints", ...untypedEntries, "--format", "json"], { cwd: root });
    const report = JSON.parse(stdout) as { problems: Record<string, { resolutionKind?: string }[]> };
    // Subpath entries (./redis) need node16 or bundler resolution, as every maintained TypeScript setup has.
    expect(Object.values(report.problems).flat().filter((problem) => problem.resolutionKind !== "node10")).toEqual([]);
  });

  it("installs into a fresh project, type-checks strictly and runs as ESM and CommonJS", async () => {
    const project = join(workdir, "consumer");
    await cp(join(root, "test", "consumer"), project, { recursive: true });
    await installInto(project, tarball);
    // The fake account's types compile without msw, its optional peer.
    await run(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(project, "tsconfig.no-msw.json")]);
    // msw, the optional peer the fake account's handlers use, as a user adds it.
    await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--save-dev", `msw@${devDependency("msw")}`], { cwd: project });
    await run(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", project]);

    const esm = JSON.parse((await run(process.execPath, [join(project, "out", "consumer.mjs")])).stdout);
    expect(esm).toEqual({
      seen: ["PUT /clients/42.json", "PUT /purchase_orders/7.json", "PUT /credit_notes/9.json", "PUT /clients/42.json", "PUT /clients/404.json", "PUT /clients/404.json"],
      raw: { status: 404, error: { errors: ["Not found"] } },
      failure: { code: "not_found", messages: ["Not found"] },
      spec: true,
      date: { year: 2017, month: 12, day: 3 },
    });
    const cjs = JSON.parse((await run(process.execPath, [join(project, "out", "consumer.cjs")])).stdout);
    expect(cjs).toEqual({ isError: true, code: "unprocessable", messages: ["Elemento client não fornecido"], spec: true });
    const testing = JSON.parse((await run(process.execPath, [join(project, "out", "testing.mjs")])).stdout);
    expect(testing).toEqual({
      items: [["Apples", "5.0"], ["Pears", "2.0"]],
      settled: ["Invoice has been settled so can't be changed anymore"],
      requests: ["GET /credit_notes/1.json false", "PUT /credit_notes/1.json false", "GET /credit_notes/1.json false", "GET /credit_notes/1.json false", "PUT /invoices/2.json false", "GET /clients/3.json false"],
      msw: "Acme",
    });
    const life = JSON.parse((await run(process.execPath, [join(project, "out", "life.mjs")])).stdout);
    expect(life).toEqual({
      life: ["draft", "final", "1/A", 1, "Acme"],
      dropped: [1, expect.stringMatching(/^The service may have acted on it, so it was not sent again: /)],
    });
  }, 180_000);

  it("has the proxy's command, which says what it needs in one line", async () => {
    const project = join(workdir, "consumer");
    const command = join(project, "node_modules", ".bin", "invoicexpress-openapi");
    const failure = (env: Record<string, string>) =>
      run(command, ["proxy"], { cwd: project, env: { ...process.env, PROXY_UPSTREAM: "", INVOICEXPRESS_ACCOUNT: "", ...env } }).then(
        () => expect.fail("it started"),
        (error: { code: number; stderr: string }) => [error.code, error.stderr.trim()],
      );
    expect(await failure({})).toEqual([1, expect.stringMatching(/^invoicexpress-openapi proxy: set PROXY_UPSTREAM/)]);
    // The project has no Prism: the command names the package to install.
    expect(await failure({ INVOICEXPRESS_ACCOUNT: "acme", PROXY_PORT: String(await freePort()) })).toEqual([
      1,
      "invoicexpress-openapi proxy: @stoplight/prism-cli is not installed: npm install --save-dev @stoplight/prism-cli@5.14.2",
    ]);
  });

  it("has a command that helps: --help, --version, each command's --help, usage for anything else", async () => {
    const command = join(workdir, "consumer", "node_modules", ".bin", "invoicexpress-openapi");
    const outcome = (...args: string[]) =>
      run(command, args, { cwd: join(workdir, "consumer") }).then(
        ({ stdout }) => [0, stdout.trim()] as const,
        (error: { code: number; stderr: string }) => [error.code, error.stderr.trim()] as const,
      );
    expect(await outcome("--help")).toEqual([0, expect.stringMatching(/^Usage: invoicexpress-openapi <command>[\s\S]*mock[\s\S]*proxy/)]);
    expect(await outcome("--version")).toEqual([0, JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version]);
    expect(await outcome("mock", "--help")).toEqual([0, expect.stringMatching(/^Usage: invoicexpress-openapi mock/)]);
    expect(await outcome("proxy", "--help")).toEqual([0, expect.stringMatching(/^Usage: invoicexpress-openapi proxy[\s\S]*INVOICEXPRESS_ACCOUNT/)]);
    expect(await outcome()).toEqual([1, expect.stringMatching(/^invoicexpress-openapi: a command is needed\.\n\nUsage:/)]);
    expect(await outcome("serve")).toEqual([1, expect.stringMatching(/^invoicexpress-openapi: unknown command "serve"\.\n\nUsage:/)]);
    expect(await outcome("mock", "--prot", "1")).toEqual([1, expect.stringMatching(/--prot[\s\S]*Usage: invoicexpress-openapi mock/)]);
    // No Prism in the project yet: the command that installs it.
    expect(await outcome("mock", "--port", String(await freePort()))).toEqual([1, "invoicexpress-openapi mock: @stoplight/prism-cli is not installed: npm install --save-dev @stoplight/prism-cli@5.14.2"]);
  });

  it("serves its mock with `invoicexpress-openapi mock`, once Prism is installed beside it", async () => {
    const project = join(workdir, "consumer");
    await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--save-dev", `@stoplight/prism-cli@${devDependency("@stoplight/prism-cli")}`], { cwd: project });
    const port = await freePort();
    // As a user runs it, in a process group of its own as from a terminal.
    const mock = spawn("npx", ["invoicexpress-openapi", "mock", "--port", String(port)], { cwd: project, detached: true });
    let output = "";
    mock.stdout.on("data", (chunk) => (output += chunk));
    mock.stderr.on("data", (chunk) => (output += chunk));
    const processesLeft = () =>
      execFileSync("ps", ["-eo", "pgid=,args="], { encoding: "utf8" })
        .split("\n")
        .filter((line) => line.trim().split(/\s+/)[0] === String(mock.pid));
    try {
      const ix = createInvoiceXpressClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: "k", rateLimit: false, maxRetries: 0 });
      await vi.waitUntil(() => output.includes("Ctrl-C stops it") || mock.exitCode !== null, { timeout: 60_000, interval: 250 }).catch(() => {});
      expect(output).toContain("Ctrl-C stops it");
      // It says what it is, not Prism's log.
      expect(output.split("\n").slice(0, 2)).toEqual([
        `  Mock (Prism, validating requests): http://127.0.0.1:${port}`,
        "    any API key will do; a Prefer header asks for another answer: -H 'Prefer: code=404'",
      ]);
      expect(output).toContain("--verbose shows Prism's request log");
      expect(await ix.getClient(42)).toMatchObject({ name: "Client Name" });
      const refused = await ix.updateClient(42, { client: { name: "Acme", code: "A1", language: "fr" } } as never, {}).catch((e: unknown) => e);
      expect(refused).toMatchObject({ name: "RequestValidationError" });
      const answered = await fetch(`http://127.0.0.1:${port}/clients/42.json?api_key=k`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ client: { name: "Acme", code: "A1", language: "fr" } }) });
      expect([answered.status, await answered.json()]).toEqual([422, { errors: [{ error: "body /client/language: Expected one of en, pt or es." }] }]);
      expect(output).not.toMatch(/\[HTTP SERVER\]|Request received/);
      // A second one on the same port says which option picks another.
      const second = await run(join(project, "node_modules", ".bin", "invoicexpress-openapi"), ["mock", "--port", String(port)], { cwd: project }).then(
        () => expect.fail("a second mock started on the same port"),
        (error: { code: number; stderr: string }) => [error.code, error.stderr.trim()],
      );
      expect(second).toEqual([1, `invoicexpress-openapi mock: port ${port} on 127.0.0.1 is already in use; --port picks another.`]);

      // npx's own process killed, as a closing terminal or a process manager does: nothing of it is left.
      mock.kill("SIGTERM");
      await vi.waitUntil(() => processesLeft().length === 0, { timeout: 20_000, interval: 250 }).catch(() => {});
      expect(processesLeft()).toEqual([]);
      await expect(checkPortFree(port)).resolves.toBeUndefined();
    } finally {
      if (processesLeft().length > 0) process.kill(-mock.pid!, "SIGKILL");
    }
  }, 180_000);

  it("serves a mock whose 422 names the broken rule, from the spec and the Prism plugin it ships", async () => {
    // The project the test above installed the tarball into.
    const installed = join(workdir, "consumer", "node_modules", "invoicexpress-openapi");
    const mock = await startMock({
      port: await freePort(),
      installed: { spec: join(installed, "openapi", "invoicexpress.yaml"), preload: join(installed, "dist", "prism-preload.cjs") },
    });
    try {
      const response = await fetch(`${mock.url}/clients/42.json?api_key=any`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ client: { name: "Acme", code: "A1", language: "fr" } }),
      });
      expect(response.status).toBe(422);
      expect(await response.json()).toEqual({ errors: [{ error: "body /client/language: Expected one of en, pt or es." }] });
    } finally {
      await mock.stop();
    }
  }, 90_000);
});
