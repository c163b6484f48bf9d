// The built docs in a real headless Chromium with the network cut, opened
// both ways users open them: served over http (`npm start`), and as the
// file itself (`npm run docs`, then a double click). Every request that
// leaves the page's own origin is blocked and counted as a failure.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url);
const packageVersion = (JSON.parse(await readFile(new URL("package.json", root), "utf8")) as { version: string }).version;
const docsDir = new URL("build/docs/", root);
const docsFile = new URL("index.html", docsDir);

let browser: Browser;
let server: ReturnType<typeof createServer>;
let origin: string;

beforeAll(async () => {
  await promisify(execFile)("npm", ["run", "--silent", "docs"], { cwd: root });
  const html = await readFile(docsFile);
  server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    // Chromium's own background traffic would be refused by a closed network.
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
});

describe.each([
  { opened: "over http", url: () => `${origin}/`, own: () => `${origin}/`, offline: false, screenshot: "screenshot.png" },
  // The browser is offline as well: nothing but the file itself can load.
  { opened: "from file://, offline", url: () => docsFile.href, own: () => docsFile.href, offline: true, screenshot: "screenshot-file.png" },
])("the docs page, $opened", ({ url, own, offline, screenshot }) => {
  const blocked: string[] = [];
  const consoleErrors: string[] = [];
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, offline });
    page = await context.newPage();
    page.on("console", (message) => message.type() === "error" && consoleErrors.push(message.text()));
    page.on("pageerror", (error) => consoleErrors.push(error.message));
    const ownUrl = (request: string) => request.startsWith(own()) || request.startsWith("data:") || request.startsWith("blob:");
    // Every request the page attempts is seen here, whether or not a route gets it.
    page.on("request", (request) => !ownUrl(request.url()) && blocked.push(request.url()));
    await context.route("**/*", (route) => (ownUrl(route.request().url()) ? route.continue() : route.abort("blockedbyclient")));
    await page.goto(url(), { waitUntil: "networkidle" });
  }, 60_000);

  afterAll(() => context?.close());

  it("has its title and introduction", async () => {
    expect(await page.title()).toBe("InvoiceXpress update API, and the reads it needs");
    for (const heading of ["Authentication", "Account URL", "Quick start"]) {
      await expect(page.getByRole("heading", { name: heading }).first().isVisible()).resolves.toBe(true);
    }
  });

  it("says which version of this spec it shows, of which version of the vendor's API, and who made the page", async () => {
    const title = page.getByRole("heading", { level: 1 }).first();
    await expect(title.textContent()).resolves.toBe(`InvoiceXpress update API, and the reads it needs (invoicexpress-openapi ${packageVersion} · InvoiceXpress API 2.0.0)`);
    await expect(page.getByText("API docs by Redocly", { exact: true }).first().isVisible()).resolves.toBe(true);
  });

  // Redoc shows each operation on a page of its own, reached from the sidebar under its tag.
  it.each([
    ["Clients", "Read a client"],
    ["Clients", "Update a client"],
    ["Purchase orders", "Read a purchase order"],
    ["Purchase orders", "Update a purchase order"],
    ["Documents", "Read an invoice, simplified invoice, invoice receipt, credit note or debit note"],
    ["Documents", "Update an invoice, simplified invoice, invoice receipt, credit note or debit note"],
  ])("renders the operation of %s: %s", async (tag, summary) => {
    await page.getByRole("link", { name: tag, exact: true }).first().click();
    await page.getByRole("link", { name: summary }).first().click();
    const heading = page.getByRole("heading", { name: summary }).first();
    await heading.waitFor({ state: "visible", timeout: 10_000 });
    await expect(heading.isVisible()).resolves.toBe(true);
  });

  it("shows a source page's example body beside its operation", async () => {
    await page.getByRole("link", { name: "Clients", exact: true }).first().click();
    await page.getByRole("link", { name: "Update a client" }).first().click();
    const sample = page.getByText('"Avenida da República, Lisboa"').first();
    await sample.waitFor({ state: "visible", timeout: 10_000 });
    await expect(sample.isVisible()).resolves.toBe(true);
    await page.screenshot({ path: new URL(screenshot, docsDir).pathname });
  });

  it("finds a field by its name", async () => {
    await page.keyboard.press("Control+k");
    await page.locator("input").first().fill("owner_invoice_id");
    const found = page.getByText(/request fields → invoice → owner_invoice_id/).first();
    await found.waitFor({ state: "visible", timeout: 10_000 });
    await expect(found.isVisible()).resolves.toBe(true);
    await page.keyboard.press("Escape");
  });

  it("shows each call in curl", async () => {
    await page.getByRole("link", { name: "Documents", exact: true }).first().click();
    await page.getByRole("link", { name: "Read an invoice, simplified invoice, invoice receipt, credit note or debit note" }).first().click();
    const call = page.getByText("--url 'https://acme.app.invoicexpress.com/invoices/1.json?api_key=YOUR_API_KEY'").first();
    await call.waitFor({ state: "visible", timeout: 10_000 });
    await expect(call.isVisible()).resolves.toBe(true);
  });

  it("loads nothing from anywhere else and logs no console error", async () => {
    // Redoc batches its telemetry (switched off by `npm run docs`) and would
    // send it later: give anything late a few seconds to show itself.
    await page.waitForTimeout(5_000);
    expect(blocked).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
