// The docs get the spec with each paragraph on one line: Redoc's search index
// would run the words of a folded line together ("All fivetake").
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { docsSpec, joinSoftBreaks } from "../scripts/docs.js";
import { compileErrors } from "./support/compile.js";

const root = fileURLToPath(new URL("..", import.meta.url));

describe("joinSoftBreaks", () => {
  it.each([
    ["a paragraph", "All five\ntake the same body\nunder `invoice`.", "All five take the same body under `invoice`."],
    ["two paragraphs", "One\nline.\n\nTwo\nlines.", "One line.\n\nTwo lines."],
    ["a list whose items run on", "- An update\n  replaces it.\n- Items left\n  out go.", "- An update replaces it.\n- Items left out go."],
    ["a table", "Codes:\n\n| a | b |\n| --- | --- |\n| 1 | 2 |", "Codes:\n\n| a | b |\n| --- | --- |\n| 1 | 2 |"],
    ["a fenced block", "Run:\n```sh\ncurl \\\n  -X PUT\n```\nDone\nnow.", "Run:\n```sh\ncurl \\\n  -X PUT\n```\nDone now."],
    ["a heading", "## Title\nText\nhere.", "## Title\nText here."],
  ])("%s", (_name, markdown, expected) => expect(joinSoftBreaks(markdown)).toBe(expected));
});

it("no description the docs get breaks a line between two words", () => {
  const runTogether: string[] = [];
  const visit = (value: unknown, key?: string): void => {
    if (Array.isArray(value)) return value.forEach((item) => visit(item));
    if (typeof value === "object" && value !== null) return Object.entries(value).forEach(([name, item]) => visit(item, name));
    if (key !== "description" || typeof value !== "string") return;
    // A line of prose followed by more prose, outside code blocks: a break
    // the search index would read as no space at all.
    const lines = value.replace(/```[\s\S]*?```/g, "").split("\n");
    lines.forEach((line, i) => {
      const next = lines[i + 1];
      if (next !== undefined && !/^\s*(?:$|#|\|)/.test(line) && /^[ \t]*[A-Za-z(`"]/.test(next)) runTogether.push(`${line}⏎${next}`);
    });
  };
  visit(docsSpec());
  expect(runTogether).toEqual([]);
});

describe("each operation's code samples in the docs", () => {
  const spec = docsSpec() as { paths: Record<string, Record<string, { operationId: string; "x-codeSamples": { label: string; source: string }[] }>> };
  const operations = Object.values(spec.paths).flatMap((methods) => Object.values(methods));

  it("show the call in curl and with this package's client", () => {
    expect(operations).toHaveLength(12);
    for (const { operationId, "x-codeSamples": samples } of operations) {
      expect(samples.map(({ label }) => label), operationId).toEqual(["curl", "TypeScript"]);
      expect(samples[1]!.source, operationId).toContain(`ix.${operationId}(`);
    }
  });

  it("the TypeScript ones compile as they stand", () => {
    const blocks = operations.map(({ operationId, "x-codeSamples": samples }) => ({ file: `x-codeSamples of ${operationId}`, line: 0, code: samples[1]!.source }));
    expect(compileErrors(blocks, join(root, "build", "code-samples"))).toEqual([]);
  }, 60_000);
});
