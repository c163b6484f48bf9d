// What the docs page says of itself: which version of this spec it shows
// and which version of the vendor's API that describes, and who made the
// page, in words (its logo, fetched from a CDN, is left out).
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { parse } from "yaml";
import { buildDocs, docsSpec } from "../scripts/docs.js";

const packageVersion = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
const apiVersion = (parse(readFileSync(new URL("../openapi/invoicexpress.yaml", import.meta.url), "utf8")) as { info: { version: string } }).info.version;

it("gives Redoc, as the version beside the title, the package's version and the vendor's API's", () => {
  expect((docsSpec() as { info: { version: string } }).info.version).toBe(`invoicexpress-openapi ${packageVersion} · InvoiceXpress API ${apiVersion}`);
});

it("builds a page whose title says both versions and whose badge names Redocly, prerendered and rendered alike", () => {
  const html = buildDocs();
  expect(html).toMatch(new RegExp(`<h1[^>]*>InvoiceXpress update API, and the reads it needs \\(invoicexpress-openapi ${packageVersion.replace(/\./g, "\\.")} · InvoiceXpress API ${apiVersion.replace(/\./g, "\\.")}\\)</h1>`));
  // The page as prerendered, and the script that renders it again in the browser.
  expect(html).toContain("<p>API docs by Redocly</p>");
  expect(html).toContain("children:`API docs by Redocly`");
  expect(html).not.toMatch(/API docs by(?! Redocly)/);
}, 60_000);
