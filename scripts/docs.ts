// `npm run docs`: Redoc HTML docs as one self-contained file. `npm start`
// builds them the same way, through `buildDocs()`.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { findOperation, loadSpec, operationsOf, refName, requestExamples, type Method, type Spec } from "./spec.js";

const output = new URL("../build/docs/index.html", import.meta.url);
const docsSpecFile = new URL("../build/docs/openapi.yaml", import.meta.url);
const redocly = fileURLToPath(new URL("../node_modules/.bin/redocly", import.meta.url));

// The inline bundle still loads Redocly's attribution logo from its CDN, and
// no option turns that off: point it at an inline image so the page loads
// nothing from another host. The browser test fails if anything else does.
const attributionLogo = /https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g;
const inlineLogo = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E";
// The logo was the badge's only name: the badge says it in words instead,
// in the page as prerendered and in the bundle that renders it again.
const attribution = /(?<=>|`)API docs by(?=<|`)/g;
const namedAttribution = "API docs by Redocly";

const packageVersion = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

/** Writes build/docs/index.html and returns the page. */
export function buildDocs(): string {
  mkdirSync(new URL(".", output), { recursive: true });
  writeFileSync(docsSpecFile, stringify(docsSpec(), { lineWidth: 0 }));
  // The page must work offline and send nothing anywhere: Redoc's telemetry is off.
  const said = runRedocly(["build-docs", fileURLToPath(docsSpecFile), "--inlineBundle", "--openapi.disableTelemetry=true", "--output", fileURLToPath(output)]);
  if (said) console.error(said);
  const built = readFileSync(output, "utf8");
  // A Redocly that words its page otherwise fails the build here, not unseen in the page.
  if ((built.match(attribution) ?? []).length !== 2 || !built.match(attributionLogo))
    throw new Error("Redocly's page no longer holds its attribution as scripts/docs.ts expects: update the replacements there.");
  const html = built.replace(attributionLogo, inlineLogo).replace(attribution, namedAttribution);
  writeFileSync(output, html);
  return html;
}

/**
 * Runs `redocly` and returns what it printed, less its notices. If it fails,
 * the error holds everything it printed, notices included.
 */
export function runRedocly(args: string[]): string {
  const result = spawnSync(redocly, args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
  });
  if (result.error) throw result.error;
  const printed = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) throw new Error(`redocly ${args[0]} failed (exit code ${result.status ?? result.signal}):\n${printed.trim()}`);
  return withoutRedoclyNotices(printed);
}

/**
 * Redocly's boxed banners (a Node.js deprecation, news about Redoc 3) and
 * progress lines say nothing about this build; anything else, a warning
 * above all, is kept.
 */
function withoutRedoclyNotices(printed: string): string {
  const kept: string[] = [];
  let boxed = false;
  for (const line of printed.split("\n")) {
    // Colours, when a terminal or FORCE_COLOR asks for them.
    const text = line.replace(/\x1b\[[\d;]*m/g, "").trim();
    if (text.startsWith("╔")) boxed = true;
    const notice = boxed || text === "" || text === "Prerendering docs" || text.startsWith("🎉 bundled successfully in: ");
    if (text.startsWith("╚")) boxed = false;
    if (!notice) kept.push(line);
  }
  return kept.join("\n");
}

/**
 * The spec as the docs get it. Redoc's search index drops a line break
 * inside a paragraph instead of reading it as a space ("All five\ntake"
 * becomes "All fivetake"), so each paragraph's lines are joined; Markdown
 * renders the text the same.
 */
export function docsSpec(): unknown {
  const join = (value: unknown, key?: string): unknown => {
    if (Array.isArray(value)) return value.map((item) => join(item));
    if (typeof value === "object" && value !== null)
      return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, join(item, name)]));
    return key === "description" && typeof value === "string" ? joinSoftBreaks(value) : value;
  };
  const spec = loadSpec();
  // Redoc shows info.version beside the title: the spec's is the vendor's
  // API version, and the page also says which version of this spec it is.
  const { info } = spec as Spec & { info: { version: string } };
  info.version = docsVersion(info.version);
  for (const { path, method, operation } of operationsOf(spec))
    Object.assign(operation, { "x-codeSamples": codeSamples(spec, path, method, operation.operationId) });
  return join(spec);
}

/** What the docs' title says of versions: the package's, whose spec it is, and the vendor's API's. */
export function docsVersion(apiVersion: string): string {
  return `invoicexpress-openapi ${packageVersion} · InvoiceXpress API ${apiVersion}`;
}

/**
 * Each operation's call in curl and with this package's client, made from
 * its first named example, so that the samples cannot drift from the spec
 * (the tests compile the TypeScript ones).
 */
export function codeSamples(spec: Spec, path: string, method: Method, operationId: string) {
  const operation = findOperation(spec, operationId);
  const [, example] = operation.requestBody ? requestExamples(spec, operationId)[0]! : [];
  const params = { "client-id": 42, "document-id": 1, "document-type": "invoices" } as Record<string, string | number>;
  // The query parameters the operation declares, with their examples (find-by-code's client_code).
  const query = (operation.parameters ?? [])
    .map((p) => ("$ref" in p ? spec.components.parameters[refName(p.$ref)]! : p))
    .filter((p) => (p as { in?: string }).in === "query")
    .map((p) => [p.name, String((p as { example?: unknown }).example)] as const);
  const search = [...query.map(([name, value]) => `${name}=${encodeURIComponent(value)}`), "api_key=YOUR_API_KEY"].join("&");
  const url = `https://acme.app.invoicexpress.com${path.replace(/\{([^}]+)\}/g, (_, name: string) => String(params[name]))}?${search}`;
  const json = example === undefined ? "" : JSON.stringify(example);
  const curl = [`curl --request ${method.toUpperCase()} \\`, `  --url '${url}'${example === undefined ? "" : " \\"}`, ...(example === undefined ? [] : [`  --header 'content-type: application/json' \\`, `  --data '${json.replace(/'/g, "'\\''")}'`])].join("\n");
  // The helper's arguments: the path's parameters in order, the query's, then
  // the body (a state change's and an email's taken from under their root).
  const args = [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => JSON.stringify(params[name!])).concat(query.map(([, value]) => JSON.stringify(value)));
  const unwrapped = { changeDocumentState: "invoice", emailDocument: "message" }[operationId];
  const body = unwrapped ? (example as Record<string, unknown>)[unwrapped] : example;
  const shown = [...args, ...(body === undefined ? [] : [JSON.stringify(body, null, 2)])].join(", ");
  const call = method === "get" || operationId.startsWith("create") ? `const answer = await ix.${operationId}(${shown});\nconsole.log(answer);` : `await ix.${operationId}(${shown});`;
  const typescript = `import { createInvoiceXpressClient } from "invoicexpress-openapi";

const ix = createInvoiceXpressClient({ accountName: "acme", apiKey: process.env.INVOICEXPRESS_API_KEY! });
${call}
`;
  return [
    { lang: "Shell", label: "curl", source: curl },
    { lang: "TypeScript", label: "TypeScript", source: typescript },
  ];
}

/** Markdown with the line breaks inside paragraphs and list items turned into spaces. */
export function joinSoftBreaks(markdown: string): string {
  const lines = markdown.split("\n");
  // A line that starts a block of its own, or closes a paragraph.
  const startsBlock = (line: string) => /^\s*(?:$|[-*+>|#]|\d+\.\s|```)/.test(line);
  const joined: string[] = [];
  let fenced = false;
  for (const line of lines) {
    const previous = joined.at(-1);
    const continues = previous !== undefined && !fenced && !startsBlock(line) && !/^\s*(?:$|[|#]|```)/.test(previous);
    if (continues) joined[joined.length - 1] = `${previous} ${line.trim()}`;
    else joined.push(line);
    if (/^\s*```/.test(line)) fenced = !fenced;
  }
  return joined.join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    buildDocs();
  } catch (error) {
    console.error(`npm run docs: ${(error as Error).message}`);
    process.exit(1);
  }
  console.log(`wrote ${fileURLToPath(output)}`);
}
