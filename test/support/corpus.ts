// The corpora of bodies that public integrations send (test/fixtures/real-world/,
// test/fixtures/life/): each body with its source and the verdict the
// evidence gives it, and the checks that hold the client and the mock to it.
import { readdirSync, readFileSync } from "node:fs";
import { expect } from "vitest";
import { RequestValidationError } from "../../src/index.js";

export interface CorpusBody<Operation extends string = string> {
  name: string;
  operation: Operation;
  documentType?: string;
  /** The request as the source sends it: `POST /invoices.json`. */
  sentTo?: string;
  /** "sent", or the JSON pointers of the fields the client names when it refuses. */
  expect: "sent" | { refused: string[] };
  body: unknown;
}
export interface CorpusSource<Operation extends string = string> {
  source: { repository: string; commit: string; kind: string };
  bodies: CorpusBody<Operation>[];
}

/** Every source of a corpus folder. */
export const loadCorpus = <Operation extends string>(folder: URL) =>
  readdirSync(folder)
    .filter((file) => file.endsWith(".json"))
    .map((file) => JSON.parse(readFileSync(new URL(file, folder), "utf8")) as CorpusSource<Operation>);

/** The client sent the body unchanged, once, or refused it unsent naming exactly the fields of the verdict. */
export function expectClientVerdict(entry: CorpusBody, outcome: unknown, calls: { body: string | undefined }[]) {
  if (entry.expect === "sent") {
    expect(outcome).toBe("sent");
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body).toBe(JSON.stringify(entry.body));
    return;
  }
  expect(outcome).toBeInstanceOf(RequestValidationError);
  const issues = (outcome as RequestValidationError).issues;
  expect(issues.map((issue) => issue.path).sort()).toEqual([...entry.expect.refused].sort());
  // Each sentence names its rule and, for a field the spec lacks, what was meant where a field is close.
  for (const issue of issues) expect(issue.message).toMatch(/^[A-Z].*[.?]$/);
  expect(calls).toHaveLength(0);
}

/** The mock gave the same verdict: a 2xx, or a 422 whose messages name the same fields. */
export function expectMockVerdict(entry: CorpusBody, status: number | undefined, messages: string[] = []) {
  if (entry.expect === "sent") return expect(status).toBeLessThan(300);
  expect(status).toBe(422);
  expect(messages.map((m) => m.replace(/^(body|path|query) (\S+): .*/, "$2")).sort()).toEqual([...entry.expect.refused].sort());
}
