// The docs get the spec with each paragraph on one line: Redoc's search index
// would run the words of a folded line together ("All fivetake").
import { describe, expect, it } from "vitest";
import { docsSpec, joinSoftBreaks } from "../scripts/docs.js";

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
