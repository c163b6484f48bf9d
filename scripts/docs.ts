// `npm run docs`: Redoc HTML docs as one self-contained file. `npm start`
// builds them the same way, through `buildDocs()`.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const output = new URL("../build/docs/index.html", import.meta.url);
const redocly = fileURLToPath(new URL("../node_modules/.bin/redocly", import.meta.url));

// The inline bundle still loads Redocly's attribution logo from its CDN, and
// no option turns that off: point it at an inline image so the page loads
// nothing from another host. The browser test fails if anything else does.
const attributionLogo = /https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g;
const inlineLogo = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E";

/** Writes build/docs/index.html and returns the page. */
export function buildDocs(): string {
  mkdirSync(new URL(".", output), { recursive: true });
  // The page must work offline and send nothing anywhere: Redoc's telemetry is off.
  const args = ["build-docs", "invoicexpress", "--inlineBundle", "--openapi.disableTelemetry=true", "--output", fileURLToPath(output)];
  execFileSync(redocly, args, {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
  });
  const html = readFileSync(output, "utf8").replace(attributionLogo, inlineLogo);
  writeFileSync(output, html);
  return html;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  buildDocs();
  console.log(`wrote ${fileURLToPath(output)}`);
}
