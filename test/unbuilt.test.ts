// A copy of the package that was never built (a git install whose prepare
// script did not run) says so, and what to do, rather than fail on a
// missing module. (test/package.test.ts runs the built one's command.)
import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));
let copy: string;

beforeAll(async () => {
  copy = join(await mkdtemp(join(tmpdir(), "invoicexpress-openapi-unbuilt-")), "invoicexpress-openapi");
  // What a git install with --ignore-scripts leaves: the sources the package lists, no dist/.
  for (const path of ["package.json", "bin", "openapi/invoicexpress.yaml"]) await cp(join(root, path), join(copy, path), { recursive: true });
});
afterAll(() => rm(join(copy, ".."), { recursive: true, force: true }));

it("its command says it was never built, why, and how to install it instead", async () => {
  const bin = (JSON.parse(await readFile(join(copy, "package.json"), "utf8")) as { bin: Record<string, string> }).bin["invoicexpress-openapi"]!;
  const failed = await run(process.execPath, [join(copy, bin), "mock"]).then(
    () => expect.fail("the command ran"),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  expect(failed.code).toBe(1);
  expect(failed.stdout).toBe("");
  expect(failed.stderr).toMatch(/^invoicexpress-openapi: this copy of the package was never built \(it has no dist\/\)\./);
  expect(failed.stderr).toContain("--ignore-scripts");
  expect(failed.stderr).toContain("npm pack");
  expect(failed.stderr).not.toContain("ERR_MODULE_NOT_FOUND");
});
