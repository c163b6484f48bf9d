// `npm run bench`: one table of what the client costs. BENCHMARKS.md records
// a run and says what each figure means. BENCH_SKIP_TEST=1 leaves out the
// wall time of `npm test`, the slowest row.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { startLimitedServer } from "../test/support/limited-server.js";
import { operationPaths, vendorBodies } from "../test/support/vendor-bodies.js";
import { entrySize, forkForMessage, interleavedRounds, median, roundRatios, unreachedRateLimit } from "./measure.js";
import type { DocumentUpdateBody } from "../src/index.js";
import type { Trial } from "./requests.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const invoice = vendorBodies.updateDocument as DocumentUpdateBody;
const rows: [string, string, string][] = [];
const row = (what: string, figure: string, note = "") => rows.push([what, figure, note]);
// The table goes to stdout at the end; what is being measured goes to stderr as it starts.
const benchStarted = performance.now();
const progress = (what: string) => console.error(`[${((performance.now() - benchStarted) / 1000).toFixed(0).padStart(3)} s] ${what}`);
progress("building the package");

// The package as users get it.
execFileSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "ignore" });
const { createInvoiceXpressClient } = (await import(pathToFileURL(join(root, "dist", "index.js")).href)) as typeof import("../src/index.js");

// 1. Per request, against a loopback server in another process: trials in
// fresh processes, one after another, their rounds pooled.
const trialCount = 5;
const trials: Trial[] = [];
for (let i = 0; i < trialCount; i++) {
  progress(`requests: trial ${i + 1} of ${trialCount}`);
  trials.push(await forkForMessage<Trial>("requests.ts").message);
}
const pooled = (group: keyof Trial, name: string) => trials.flatMap((trial) => trial[group][name]!);
const ratioNote = (group: keyof Trial, name: string, baseline: string) => {
  const perTrial = trials.map((trial) => roundRatios(trial[group][name]!, trial[group][baseline]!));
  const trialMedians = perTrial.map(median);
  const range = `${Math.min(...trialMedians).toFixed(3)}–${Math.max(...trialMedians).toFixed(3)}`;
  return `${median(perTrial.flat()).toFixed(3)}x ${baseline} (trials ${range})`;
};
for (const name of Object.keys(trials[0]!.contenders)) {
  const notes = name === "bare fetch" ? ["baseline"] : [ratioNote("contenders", name, "bare fetch")];
  if (name === "updateDocument" || name === "raw PUT") notes.push(ratioNote("contenders", name, "bare fetch with a 30 s timeout signal"));
  if (name === "createDocument") notes.push(ratioNote("contenders", name, "updateDocument"));
  row(`request: ${name}`, `${median(pooled("contenders", name)).toFixed(1)} µs`, notes.join("; "));
}
for (const name of Object.keys(trials[0]!.references).slice(1)) {
  row(`request: ${name}`, `${median(pooled("references", name)).toFixed(1)} µs`, `${ratioNote("references", name, "bare fetch")}, its own rounds`);
}

// The client's own work per call, with a fetch that answers at once: the
// part of the figures above that is ours, without the network's noise.
// It answers as the loopback server does: an empty 200, or a create's 201 with a draft.
const draftAnswer = JSON.stringify({ invoice: { id: 1, status: "draft", sequence_number: "rascunho" } });
const instant = async (_input: string | Request, init?: RequestInit) =>
  init?.method === "POST"
    ? new Response(draftAnswer, { status: 201, headers: { "content-type": "application/json" } })
    : new Response(null, { status: 200, headers: { "content-length": "0" } });
// No request leaves the process: the URL only has to be well formed.
const offlineUrl = "http://127.0.0.1:9";
const offline = createInvoiceXpressClient({ baseUrl: offlineUrl, apiKey: "bench-key", fetch: instant, rateLimit: unreachedRateLimit });
progress("client work per call, no network");
const work = await interleavedRounds(
  {
    "bare fetch": async () => instant(`${offlineUrl}/invoices/1.json?api_key=bench-key`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(invoice) }),
    updateDocument: () => offline.updateDocument("invoices", 1, invoice),
    createDocument: () => offline.createDocument("invoices", invoice),
  },
  { rounds: 30, perRound: 2000, warmup: 5000 },
);
for (const [name, samples] of Object.entries(work)) row(`client work per call, no network: ${name}`, `${median(samples).toFixed(2)} µs`, "fetch answers at once");

// What a per-attempt timeout costs the platform before anything is sent:
// Node's fetch builds a Request for every call, and a signal adds to it.
const platformUrl = `${offlineUrl}/invoices/1.json`;
const body = JSON.stringify(invoice);
progress("platform: building a Request");
const construction = await interleavedRounds(
  {
    "new Request(url, init)": async () =>
      new Request(platformUrl, { method: "PUT", headers: { "content-type": "application/json" }, body }),
    "the same, with a new AbortController's signal": async () =>
      new Request(platformUrl, { method: "PUT", headers: { "content-type": "application/json" }, body, signal: new AbortController().signal }),
  },
  { rounds: 30, perRound: 2000, warmup: 5000 },
);
for (const [name, samples] of Object.entries(construction)) row(`platform: ${name}`, `${median(samples).toFixed(2)} µs`, "no network");

// A bulk job at a scaled limit (60 a second) against a server that enforces
// it: its pace as a share of what the limit allows, and the 429s met; then
// the same job without the limiter.
progress("bulk job at a scaled limit");
const limit = { requests: 60, perMs: 1_000 };
for (const rateLimit of [limit, false] as const) {
  const limited = await startLimitedServer(limit);
  const bulk = createInvoiceXpressClient({ baseUrl: limited.url, apiKey: "bench-key", rateLimit });
  const jobs = 600;
  const started = performance.now();
  const settled = await Promise.allSettled(Array.from({ length: jobs }, (_, i) => bulk.updateClient(i + 1, { client: { name: "Client Name", code: "A1" } })));
  const elapsed = performance.now() - started;
  await limited.close();
  const failed = settled.filter((result) => result.status === "rejected").length;
  // The limit lets the first 60 go at once, then 60 per window: the last batch can start after (600 / 60 - 1) windows.
  const ideal = (Math.ceil(jobs / limit.requests) - 1) * limit.perMs;
  const pace = `${((100 * ideal) / elapsed).toFixed(1)}% of the limit`;
  row(
    `bulk job, ${jobs} updates at 60 per second, rateLimit ${rateLimit ? "on" : "false"}`,
    rateLimit ? pace : `${failed} of ${jobs} failed`,
    `${limited.refused} 429s met, ${limited.served} served, ${(elapsed / 1000).toFixed(2)} s (ideal ${(ideal / 1000).toFixed(1)} s)`,
  );
}

// 2. Bundle size of the client entry.
progress("entry size");
for (const validation of [true, false]) {
  const { minified, gzipped } = await entrySize({ validation });
  row(`client entry ${validation ? "with" : "without"} validation`, `${gzipped} B`, `min+gzip (${minified} B minified), openapi-fetch included`);
}

// 3. Validation per body, as bundled for users (no test-runner transforms).
progress("validation per body");
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
const examples = { updateDocument: "invoice", updatePurchaseOrder: "purchase order", updateClient: "client" } as const;
for (const [operation, name] of Object.entries(examples) as [keyof typeof examples, string][]) {
  const [template, params] = operationPaths[operation];
  const body = vendorBodies[operation];
  if (requestIssues("PUT", template, params, body).length > 0) throw new Error(`the ${name} example should be valid`);
  const perCall: number[] = [];
  for (let round = 0; round < 30; round++) {
    const calls = 20_000;
    const started = performance.now();
    for (let i = 0; i < calls; i++) requestIssues("PUT", template, params, body);
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
progress("wall times of npm run generate, docs and test");
row("npm run generate", `${median([1, 2, 3].map(() => wall(["run", "--silent", "generate"]))).toFixed(2)} s`, "median of 3");
row("npm run docs", `${median([1, 2, 3].map(() => wall(["run", "--silent", "docs"]))).toFixed(2)} s`, "median of 3");
if (process.env.BENCH_SKIP_TEST !== "1") row("npm test", `${wall(["test"]).toFixed(1)} s`, "one run, wall time");

const cpu = cpus()[0]?.model.trim() ?? "unknown CPU";
console.log(`${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpu}\n`);
console.log("| what | figure | note |\n| --- | --- | --- |");
for (const [what, figure, note] of rows) console.log(`| ${what} | ${figure} | ${note} |`);
