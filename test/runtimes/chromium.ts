// A real page in Debian's Chromium: the scenario bundled with the installed
// package (esbuild, as a user's bundler would), served from a loopback origin
// of its own, so that every call to the mock is a cross-origin one and goes
// through CORS.
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { closeOnStop } from "./processes.js";
import { CannotRun, versionOf, type Runtime } from "./runtime.js";
import type { StepResult } from "./scenario.js";

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// Chromium's own background traffic has nothing to do with the scenario.
const args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

const page = (script: string) => `<!doctype html><meta charset="utf-8"><title>runtimes</title><script type="module" src="/${script}"></script>`;

async function serve(files: Record<string, { type: string; body: string }>): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    const file = files[req.url ?? ""];
    if (!file) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": file.type }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

export const chromiumRuntime: Runtime = {
  name: "Chromium",
  async locate() {
    if (!existsSync(executablePath)) throw new CannotRun(`no Chromium at ${executablePath}: apt-get install chromium, or set CHROMIUM_PATH`);
    return (await versionOf(executablePath)).replace(/^Chromium /, "");
  },
  async run(project, mockUrl) {
    const bundle = await build({
      entryPoints: [join(project.dir, "browser.mjs")],
      absWorkingDir: project.dir,
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      write: false,
      logLevel: "silent",
    });
    const { origin, server } = await serve({
      "/": { type: "text/html; charset=utf-8", body: page("scenario.js") },
      "/scenario.js": { type: "text/javascript; charset=utf-8", body: bundle.outputFiles[0]!.text },
    });
    if (origin === new URL(mockUrl).origin) throw new Error("the page and the mock share an origin");
    // The matrix closes it, whatever stops the run.
    const browser = await chromium.launch({ executablePath, args, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
    const forget = closeOnStop(() => browser.close());
    try {
      const tab = await browser.newPage();
      const pageErrors: string[] = [];
      tab.on("pageerror", (error) => pageErrors.push(error.message));
      await tab.goto(`${origin}/`);
      await tab.waitForFunction(() => "runScenario" in globalThis, undefined, { timeout: 20_000 }).catch(() => {
        throw new Error(`the page did not load the scenario. ${pageErrors.join(" ")}`.trim());
      });
      return await tab.evaluate(
        (url) => (globalThis as unknown as { runScenario(url: string): Promise<StepResult[]> }).runScenario(url),
        mockUrl,
      );
    } finally {
      forget();
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    }
  },
};
