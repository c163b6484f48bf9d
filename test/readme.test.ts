// Every TypeScript example in README.md and the guides in docs/ compiles as
// written, on its own (a reader copies one block), in a strict project that
// imports the package; the examples that are tests also pass.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileErrors, type Example } from "./support/compile.js";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The ```ts blocks of a Markdown file. */
function examples(markdown: string, file = "README.md"): Example[] {
  return [...markdown.matchAll(/^```(?:ts|typescript)\n([\s\S]*?)^```$/gm)].map((match) => ({
    file,
    line: markdown.slice(0, match.index).split("\n").length,
    code: match[1]!,
  }));
}

const guides = readdirSync(join(root, "docs")).filter((name) => name.endsWith(".md"));
const readme = [
  ...examples(readFileSync(join(root, "README.md"), "utf8")),
  ...guides.flatMap((name) => examples(readFileSync(join(root, "docs", name), "utf8"), `docs/${name}`)),
];

describe("the TypeScript examples of README.md and docs/", () => {
  it("are there to check", () => {
    expect(readme.length).toBeGreaterThan(5);
  });

  it("each compiles on its own, strictly, against the package", () => {
    expect(compileErrors(readme)).toEqual([]);
  }, 60_000);

  it("declare nothing: what a reader lacks, they get from the example", () => {
    expect(readme.filter((block) => /\bdeclare\b/.test(block.code)).map((block) => `${block.file}:${block.line}`)).toEqual([]);
  });
});

it("an example that does not compile is reported, with its line", () => {
  const broken = { file: "README.md", line: 10, code: 'import { createInvoiceXpressClient } from "invoicexpress-openapi";\n\nawait ix.updateClient(42, body);\n' };
  expect(compileErrors([broken])).toEqual([
    "README.md:13: Cannot find name 'ix'.",
    "README.md:13: Cannot find name 'body'.",
  ]);
}, 60_000);

// The examples that are tests (they import vitest) also pass as written,
// run by vitest in a project of their own, the package's names pointing at
// the sources.
it("each example that is a test runs and passes", () => {
  const tests = readme.filter((block) => /from "vitest"/.test(block.code));
  expect(tests.length).toBeGreaterThan(0);
  const dir = join(root, "build", "readme-tests");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [i, block] of tests.entries()) writeFileSync(join(dir, `readme-${i}.test.ts`), block.code);
  const alias = (name: string, file: string) => `{ find: /^${name.replace("/", "\\/")}$/, replacement: ${JSON.stringify(join(root, "src", file))} }`;
  writeFileSync(
    join(dir, "vitest.config.ts"),
    `export default { resolve: { alias: [${alias("invoicexpress-openapi/testing", "testing/index.ts")}, ${alias("invoicexpress-openapi/dates", "dates.ts")}, ${alias("invoicexpress-openapi", "index.ts")}] }, test: { include: ["readme-*.test.ts"] } };\n`,
  );
  const run = spawnSync(join(root, "node_modules", ".bin", "vitest"), ["run", "--root", dir, "--reporter", "verbose"], { encoding: "utf8" });
  const output = `${run.stdout}${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, "");
  expect(output, output).toMatch(new RegExp(`Tests\\s+${tests.reduce((count, block) => count + block.code.split(/^it\(/m).length - 1, 0)} passed`));
  expect(run.status, output).toBe(0);
}, 120_000);
