// The programs in examples/ run as their first lines say, against the Prism
// mock (the package's name resolves to the sources through tsconfig.json),
// and say what they should. `tsc` in `npm test` type-checks them too.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, inject, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const run = async (example: string) =>
  (await promisify(execFile)(process.execPath, ["--import", "tsx", `examples/${example}`], { cwd: root, env: { ...process.env, INVOICEXPRESS_BASE_URL: inject("mockUrl") } })).stdout;

it.each([
  ["edit-a-document.ts", /^invoice 24206414 is draft, with 1 item\(s\)\nsent 1 item\(s\) back, observations: Paid by bank transfer\n$/],
  ["refusals.ts", /^\/invoice\/date: Expected a real calendar date[^\n]*\n\/invoice\/due_date: Expected a real calendar date[^\n]*\n\/invoice\/discont: Not a field the spec defines here[^\n]*\n$/],
  ["bulk-updates.ts", /^12 of 12 updated; \d+ waited for a turn\n$/],
  ["fake-account.ts", /^reference: PO-2026-7; requests: GET \/invoices\/24206414\.json, GET \/invoices\/24206414\.json, PUT \/invoices\/24206414\.json\nclient 1: not_found\n$/],
  ["document-life.ts", /^created invoice 24206414, draft\nedited \(1 item\(s\)\), final as 6\/G, emailed\n$/],
])("examples/%s", { timeout: 60_000 }, async (example, output) => {
  expect(await run(example)).toMatch(output);
});
