// `npm run bench`: one table of what the client costs. BENCHMARKS.md records
// a run and says what each figure means. BENCH_SKIP_TEST=1 leaves out the
// wall time of `npm test`, the slowest row.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import createClient from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import { bareFetchPut, entrySize, interleavedRounds, median, medianRatio, startLoopbackServer } from "./measure.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const fixture = (name: string) => JSON.parse(readFileSync(join(root, "test", "fixtures", `vendor-${name}-body.json`), "utf8"));
const invoice = fixture("document");
const rows: [string, string, string][] = [];
const row = (what: string, figure: string, note = "") => rows.push([what, figure, note]);

// The package as users get it.
execFileSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "ignore" });
const { createInvoiceXpressClient } = (await import(pathToFileURL(join(root, "dist", "index.js")).href)) as typeof import("../src/index.js");

// 1. Per request, against a loopback server in another process.
const server = await startLoopbackServer();
const apiKey = "bench-key";
const ix = createInvoiceXpressClient({ baseUrl: server.url, apiKey });
const plain = createClient<paths>({ baseUrl: server.url });
plain.use({
  onRequest: ({ request }) => {
    const url = new URL(request.url);
    url.searchParams.set("api_key", apiKey);
    return new Request(url, request);
  },
});
const serialized = createClient<paths>({ baseUrl: server.url, querySerializer: () => `api_key=${apiKey}` });
const path = { "document-type": "invoices", "document-id": 1 } as const;
const put = (client: typeof plain) => client.PUT("/{document-type}/{document-id}.json", { params: { path }, body: invoice });
const documentUrl = `${server.url}/invoices/1.json?api_key=${apiKey}`;
const bareFetch = () => bareFetchPut(documentUrl, invoice);
// The client's per-attempt timeout needs an AbortSignal, and undici's own
// handling of a request's signal has a cost, so a bare fetch that carries
// the same timeout is measured too.
const bareFetchWithTimeout = () => bareFetchPut(documentUrl, invoice, { timeoutMs: 30_000 });
// The budget's contenders run on their own, so that the allocations of the
// slower reference clients below do not land in their rounds.
const times = await interleavedRounds(
  {
    "bare fetch": bareFetch,
    "bare fetch with a 30 s timeout signal": bareFetchWithTimeout,
    updateDocument: () => ix.updateDocument("invoices", 1, invoice),
    "raw PUT": () => ix.PUT("/{document-type}/{document-id}.json", { params: { path }, body: invoice }),
  },
  { rounds: 40, perRound: 300 },
);
const references = await interleavedRounds({
  "bare fetch": bareFetch,
  "openapi-fetch, key added by middleware": () => put(plain),
  "openapi-fetch, key added by querySerializer": () => put(serialized),
});
const ratio = (samples: Record<string, number[]>, name: string, baseline: string) =>
  `${medianRatio(samples[name]!, samples[baseline]!).toFixed(3)}x ${baseline}`;
for (const [name, samples] of Object.entries(times)) {
  const notes = name === "bare fetch" ? ["baseline"] : [ratio(times, name, "bare fetch")];
  if (name === "updateDocument" || name === "raw PUT") notes.push(ratio(times, name, "bare fetch with a 30 s timeout signal"));
  row(`request: ${name}`, `${median(samples).toFixed(1)} µs`, notes.join("; "));
}
for (const name of Object.keys(references).slice(1)) {
  row(`request: ${name}`, `${median(references[name]!).toFixed(1)} µs`, `${ratio(references, name, "bare fetch")} (its own rounds)`);
}

// The client's own work per call, with a fetch that answers at once: the
// part of the figures above that is ours, without the network's noise.
const instant = async (_input: string | Request, _init?: RequestInit) => new Response(null, { status: 200 });
const offline = createInvoiceXpressClient({ baseUrl: server.url, apiKey, fetch: instant });
const work = await interleavedRounds(
  {
    "bare fetch": async () => instant(`${server.url}/invoices/1.json?api_key=${apiKey}`, { method: "PUT", body: JSON.stringify(invoice) }),
    updateDocument: () => offline.updateDocument("invoices", 1, invoice),
  },
  { rounds: 30, perRound: 2000, warmup: 5000 },
);
for (const [name, samples] of Object.entries(work)) row(`client work per call, no network: ${name}`, `${median(samples).toFixed(2)} µs`, "fetch answers at once");

server.stop();

// 2. Bundle size of the client entry.
for (const validation of [true, false]) {
  const { minified, gzipped } = await entrySize({ validation });
  row(`client entry ${validation ? "with" : "without"} validation`, `${gzipped} B`, `min+gzip (${minified} B minified), openapi-fetch included`);
}

// 3. Validation per body, as bundled for users (no test-runner transforms).
const scratch = mkdtempSync(join(tmpdir(), "invoicexpress-bench-"));
await build({
  entryPoints: [join(root, "src", "validation.ts")],
  bundle: true,
  format: "esm",
  platform: "neutral",
  outfile: join(scratch, "validation.mjs"),
  logLevel: "silent",
});
const { requestIssues } = (await import(pathToFileURL(join(scratch, "validation.mjs")).href)) as typeof import("../src/validation.js");
rmSync(scratch, { recursive: true, force: true });
const bodies: [string, string, Record<string, unknown>, unknown][] = [
  ["invoice", "/{document-type}/{document-id}.json", path, invoice],
  ["purchase order", "/purchase_orders/{document-id}.json", { "document-id": 1 }, fixture("purchase-order")],
  ["client", "/clients/{client-id}.json", { "client-id": 1 }, fixture("client")],
];
for (const [name, template, params, body] of bodies) {
  if (requestIssues(template, params, body).length > 0) throw new Error(`the ${name} example should be valid`);
  const perCall: number[] = [];
  for (let round = 0; round < 30; round++) {
    const calls = 20_000;
    const started = performance.now();
    for (let i = 0; i < calls; i++) requestIssues(template, params, body);
    perCall.push(((performance.now() - started) * 1e6) / calls);
  }
  row(`validate the page's ${name} example`, `${(median(perCall) / 1000).toFixed(2)} µs`, "median of 30 rounds");
}

// 4 and 5. Wall times of the project's own commands.
const wall = (args: string[]) => {
  const started = performance.now();
  execFileSync("npm", args, { cwd: root, stdio: "ignore" });
  return (performance.now() - started) / 1000;
};
row("npm run generate", `${median([1, 2, 3].map(() => wall(["run", "--silent", "generate"]))).toFixed(2)} s`, "median of 3");
row("npm run docs", `${median([1, 2, 3].map(() => wall(["run", "--silent", "docs"]))).toFixed(2)} s`, "median of 3");
if (process.env.BENCH_SKIP_TEST !== "1") row("npm test", `${wall(["test"]).toFixed(1)} s`, "one run, wall time");

const cpu = cpus()[0]?.model.trim() ?? "unknown CPU";
console.log(`${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpu}\n`);
console.log("| what | figure | note |\n| --- | --- | --- |");
for (const [what, figure, note] of rows) console.log(`| ${what} | ${figure} | ${note} |`);
