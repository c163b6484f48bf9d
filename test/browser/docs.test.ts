// The built docs in a real headless Chromium, with the network cut: every
// request to another origin is blocked and counted as a failure.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url);
const docsDir = new URL("build/docs/", root);
const screenshot = new URL("screenshot.png", docsDir);

const blocked: string[] = [];
const consoleErrors: string[] = [];
let browser: Browser;
let page: Page;
let server: ReturnType<typeof createServer>;

beforeAll(async () => {
  await promisify(execFile)("npm", ["run", "--silent", "docs"], { cwd: root });
  const html = await readFile(new URL("index.html", docsDir));
  server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    // Chromium's own background traffic would be refused by a closed network.
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on("console", (message) => message.type() === "error" && consoleErrors.push(message.text()));
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
    blocked.push(url);
    return route.abort("blockedbyclient");
  });
  await page.goto(`${origin}/`, { waitUntil: "networkidle" });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
});

describe("the docs page, offline", () => {
  it("has its title and introduction", async () => {
    expect(await page.title()).toBe("InvoiceXpress update API");
    for (const heading of ["Authentication", "Account URL", "Quick start"]) {
      await expect(page.getByRole("heading", { name: heading }).first().isVisible()).resolves.toBe(true);
    }
  });

  // Redoc shows each tag on a page of its own, reached from the sidebar.
  it.each([
    ["Clients", "Update a client"],
    ["Purchase orders", "Update a purchase order"],
    ["Documents", "Update an invoice, simplified invoice, invoice receipt, credit note or debit note"],
  ])("renders the operation of %s: %s", async (tag, summary) => {
    await page.getByRole("link", { name: tag, exact: true }).first().click();
    const heading = page.getByRole("heading", { name: summary }).first();
    await heading.waitFor({ state: "visible", timeout: 10_000 });
    await expect(heading.isVisible()).resolves.toBe(true);
  });

  it("shows a source page's example body beside its operation", async () => {
    await page.getByRole("link", { name: "Clients", exact: true }).first().click();
    const sample = page.getByText('"Avenida da República, Lisboa"').first();
    await sample.waitFor({ state: "visible", timeout: 10_000 });
    await expect(sample.isVisible()).resolves.toBe(true);
    await page.screenshot({ path: screenshot.pathname });
  });

  it("loads nothing from another host and logs no console error", async () => {
    // Redoc batches its telemetry (switched off by `npm run docs`) and would
    // send it later: give anything late a few seconds to show itself.
    await page.waitForTimeout(5_000);
    expect(blocked).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
