// npm run test:tools: the spec the package ships, run unpatched through the
// third-party tools its users take it to (each pinned in package.json here,
// with a lockfile of its own, on the Node 22 pinned beside them). For each
// tool: it validates or generates without error; what it generates compiles
// under `tsc --strict`; the spec's request examples, and its read examples
// sent back as updates, are accepted (Prism answers 2xx, the types take
// them, the zod schemas parse them); and a body the spec refuses is refused
// wherever the tool checks values (Prism 422 and still running, zod schemas
// fail). Everything is derived from the spec, so a new operation or example
// is checked as it lands. Prints a table; exits 1 on any failure.
import { execFile, spawn } from "node:child_process";
import { mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { parse } from "yaml";
import { freePort } from "../../scripts/mock.js";

const run = promisify(execFile);
const here = fileURLToPath(new URL(".", import.meta.url));
// The spec the package ships, or another copy of it: `npm run test:tools -- path/to/openapi.yaml`.
const spec = process.argv[2] ? resolve(process.argv[2]) : fileURLToPath(new URL("../../openapi/invoicexpress.yaml", import.meta.url));
// Inside node_modules, so that generated code resolves the tools' own zod
// and clients, and the project's tsc and git leave it alone.
const out = `${here}node_modules/.tools-out/`;
const bin = (name: string) => `${here}node_modules/.bin/${name}`;
// The pinned Node 22, first on PATH so that every tool's `#!/usr/bin/env node` runs on it.
const env = { ...process.env, PATH: `${here}node_modules/.bin:${process.env.PATH}`, NO_COLOR: "1", SCARF_ANALYTICS: "false", DO_NOT_TRACK: "1" };

// ---------------------------------------------------------------- the spec

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Doc = Record<string, any>;
const document: Doc = parse(await readFile(spec, "utf8"));
const deref = (node: any): any => (node && typeof node.$ref === "string" ? deref(node.$ref.split("/").slice(1).reduce((at: any, key: string) => at[key], document)) : node);
const pascal = (name: string) => name.replace(/(^|[-_])(\w)/g, (_, __, c: string) => c.toUpperCase());
const refName = (ref: string) => ref.split("/").pop()!;

interface Operation {
  id: string;
  method: string;
  path: string;
  /** The path with each parameter's example, and the API key. */
  url: string;
  bodySchema?: string;
  examples: { name: string; value: Json }[];
  /** For a read: the schema of its 200 answer and the answer's examples. */
  answerSchema?: string;
  answers: { name: string; value: Json }[];
}

const operations: Operation[] = Object.entries(document.paths as Doc).flatMap(([path, methods]) =>
  Object.entries(methods as Doc)
    .filter(([method]) => ["get", "put", "post", "patch", "delete"].includes(method))
    .map(([method, operation]: [string, Doc]) => {
      const parameters = [...((methods as Doc).parameters ?? []), ...(operation.parameters ?? [])].map(deref);
      const query = new URLSearchParams({ api_key: "any" });
      for (const p of parameters) if (p.in === "query" && p.required) query.set(p.name, String(p.example ?? deref(p.schema)?.examples?.[0] ?? "1"));
      const filled = path.replace(/\{([^}]+)\}/g, (_, name) => encodeURIComponent(String(parameters.find((p) => p.name === name && p.in === "path")?.example ?? "1")));
      const content = deref(operation.requestBody)?.content?.["application/json"];
      const answer = deref(operation.responses?.["200"] ?? operation.responses?.["201"])?.content?.["application/json"];
      const named = (examples: Doc | undefined) => Object.entries(examples ?? {}).map(([name, example]) => ({ name, value: deref(example).value as Json }));
      return {
        id: operation.operationId as string,
        method: method.toUpperCase(),
        path,
        url: `${filled}?${query}`,
        bodySchema: content?.schema?.$ref && refName(content.schema.$ref),
        examples: named(content?.examples),
        answerSchema: method === "get" && answer?.schema?.$ref ? refName(answer.schema.$ref) : undefined,
        answers: method === "get" ? named(answer?.examples) : [],
      };
    }),
);

/**
 * A read's examples as the update of the same path takes them back: the
 * resource under the update body's one root key (an invoice receipt read
 * under `invoice_receipt` goes back under `invoice`).
 */
const sentBack = operations.flatMap((update) => {
  if (update.method !== "PUT" || !update.bodySchema) return [];
  const read = operations.find((o) => o.method === "GET" && o.path === update.path);
  const root = (deref(document.components.schemas[update.bodySchema]).required ?? [])[0];
  if (!read || !root) return [];
  return read.answers.map(({ name, value }) => ({ update, name: `${read.id}.${name}`, value: { [root]: Object.values(value as Doc)[0] } as Json }));
});
const accepted = [
  ...operations.flatMap((update) => update.examples.map(({ name, value }) => ({ update, name: `${update.id}.${name}`, value }))),
  ...sentBack,
];

/** Copies of an example with one value the spec refuses: an ISO date, a misspelt country, an email address that is not one. */
function spoiled(value: Json): { what: string; value: Json }[] {
  const breaks: [string, (key: string, v: Json) => Json | undefined][] = [
    ["an ISO date", (_, v) => (typeof v === "string" && /^\d\d\/\d\d\/\d{4}$/.test(v) ? "2017-12-03" : undefined)],
    ['the country "Narnia"', (key) => (key === "country" ? "Narnia" : undefined)],
    ['the email "not-an-email"', (key) => (key === "email" ? "not-an-email" : undefined)],
  ];
  return breaks.flatMap(([what, change]) => {
    // The first value found, depth first, is changed; the rest are kept.
    let done = false;
    const walk = (v: Json, key: string): Json => {
      const changed = done ? undefined : change(key, v);
      if (changed !== undefined) {
        done = true;
        return changed;
      }
      if (Array.isArray(v)) return v.map((item) => walk(item, key));
      if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, walk(inner, k)]));
      return v;
    };
    const result = walk(value, "");
    return done ? [{ what, value: result }] : [];
  });
}
const refused = operations.flatMap((update) =>
  update.examples.slice(0, 1).flatMap(({ name, value }) => spoiled(value).map((bad) => ({ update, name: `${update.id}.${name} with ${bad.what}`, value: bad.value }))),
);

// ---------------------------------------------------------------- checks

type Verdict = { ok: boolean; detail: string; failures?: string[] };
interface Row {
  tool: string;
  version: string;
  checks: Record<string, Verdict>;
}
const columns = ["runs", "compiles", "examples accepted", "read sent back", "reads typed whole", "refusals"] as const;
const rows: Row[] = [];
const versionOf = async (name: string) => JSON.parse(await readFile(`${here}node_modules/${name}/package.json`, "utf8")).version as string;
const pass = (detail = ""): Verdict => ({ ok: true, detail });
const fail = (detail: string): Verdict => ({ ok: false, detail });
/** A check's verdict from its failures, each "case name: what went wrong" (a case may fail more than one way). */
const tally = (failures: string[], total: number): Verdict => {
  const failed = new Set(failures.map((f) => f.split(": ")[0])).size;
  return failures.length === 0 ? pass(`${total}/${total}`) : { ok: false, detail: `${total - failed}/${total} passed`, failures };
};

async function attempt(name: string, step: () => Promise<Verdict>): Promise<Verdict> {
  try {
    return await step();
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    return fail(`${name}: ${(e.stderr || e.stdout || e.message).trim().split("\n").slice(-3).join(" ").slice(0, 300)}`);
  }
}
const node22 = (script: string) => run(bin("node"), ["--input-type=module", "-e", script], { cwd: here, env, maxBuffer: 64 << 20 });

// Validators.
async function spectral(): Promise<Row> {
  await writeFile(`${out}spectral.yaml`, "extends: ['spectral:oas']\n");
  const runs = await attempt("spectral", async () => {
    const { stdout } = await run(bin("spectral"), ["lint", spec, "--ruleset", `${out}spectral.yaml`, "--format", "json", "--quiet", "--fail-severity", "error"], { env, maxBuffer: 64 << 20 }).catch((e) => e);
    const results = JSON.parse(stdout || "[]") as { severity: number; code: string; message: string; path: string[] }[];
    const errors = results.filter((r) => r.severity === 0);
    const warnings = results.filter((r) => r.severity === 1);
    const said = (list: typeof results) => list.slice(0, 3).map((r) => `${r.code} at ${r.path.join(".")}: ${r.message}`).join("; ");
    return errors.length > 0 ? fail(`${errors.length} errors: ${said(errors)}`) : warnings.length > 0 ? fail(`${warnings.length} warnings: ${said(warnings)}`) : pass("0 errors, 0 warnings");
  });
  return { tool: "@stoplight/spectral-cli (spectral:oas)", version: await versionOf("@stoplight/spectral-cli"), checks: { runs } };
}

async function parserValidate(pkg: string, script: string): Promise<Row> {
  const runs = await attempt(pkg, async () => {
    const { stdout } = await node22(script);
    return stdout.trim() === "valid" ? pass("valid") : fail(stdout.trim().slice(0, 300));
  });
  return { tool: pkg, version: await versionOf(pkg), checks: { runs } };
}

async function postman(): Promise<Row> {
  const runs = await attempt("openapi-to-postmanv2", async () => {
    const { stdout } = await node22(`
      import { readFileSync } from "node:fs";
      import converter from "openapi-to-postmanv2";
      converter.convert({ type: "string", data: readFileSync(${JSON.stringify(spec)}, "utf8") }, {}, (error, result) => {
        if (error) return console.log(String(error));
        if (!result.result) return console.log(result.reason);
        const requests = [];
        const walk = (items) => items.forEach((item) => (item.item ? walk(item.item) : requests.push(item.request.method)));
        walk(result.output[0].data.item);
        console.log(JSON.stringify(requests));
      });`);
    const methods = JSON.parse(stdout) as string[];
    return methods.length === operations.length ? pass(`${methods.length} requests`) : fail(`${methods.length} requests for ${operations.length} operations`);
  });
  return { tool: "openapi-to-postmanv2", version: await versionOf("openapi-to-postmanv2"), checks: { runs } };
}

// Plain Prism: the mock a user starts with `prism mock openapi.yaml`.
async function startPrism() {
  const port = await freePort();
  const child = spawn(bin("prism"), ["mock", "--host", "127.0.0.1", "--port", String(port), spec], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout.on("data", (c) => (output += c));
  child.stderr.on("data", (c) => (output += c));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.on("exit", () => resolve(void (exited = true))));
  const started = Date.now();
  while (!/Prism is listening/.test(output)) {
    if (exited || Date.now() - started > 60_000) throw new Error(`Prism did not start: ${output.slice(-500)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    async send(method: string, url: string, body?: Json) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}${url}`, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
        return { status: response.status, said: (response.headers.get("sl-violations") ?? "").slice(0, 160) };
      } catch (error) {
        // A dropped connection: whether Prism went with it.
        await Promise.race([exit, new Promise((resolve) => setTimeout(resolve, 2000))]);
        const last = /\n([A-Za-z]*Error[^\n]*)/.exec(output.slice(-4000))?.[1];
        return { status: 0, said: `no answer (${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}); ${exited ? `Prism exited: ${last}` : "Prism still running"}` };
      }
    },
    get exited() {
      return exited;
    },
    stop: () => exited || process.kill(-child.pid!, "SIGTERM"),
  };
}

async function prism(): Promise<Row> {
  const checks: Record<string, Verdict> = {};
  let mock: Awaited<ReturnType<typeof startPrism>> | undefined;
  try {
    mock = await startPrism();
    checks.runs = pass("listening");
    const sendAll = async (list: typeof accepted, expect: (status: number) => boolean) => {
      const failures: string[] = [];
      for (const { update, name, value } of list) {
        const answer = await mock!.send(update.method, update.url, value);
        if (!expect(answer.status)) failures.push(`${name}: ${answer.status} ${answer.said}`);
        // Each case on its own: a Prism that died is started again.
        if (mock!.exited) mock = await startPrism();
      }
      return failures;
    };
    const ok = (status: number) => status >= 200 && status < 300;
    const examples = accepted.filter((a) => !sentBack.includes(a as (typeof sentBack)[number]));
    checks["examples accepted"] = tally(await sendAll(examples, ok), examples.length);
    checks["read sent back"] = tally(await sendAll(sentBack, ok), sentBack.length);
    checks.refusals = tally(await sendAll(refused, (status) => status === 422), refused.length);
  } catch (error) {
    checks.runs = fail((error as Error).message);
  } finally {
    mock?.stop();
  }
  return { tool: "@stoplight/prism-cli (plain)", version: await versionOf("@stoplight/prism-cli"), checks };
}

// ---------------------------------------------------------------- generators

/** How a generator names what the type checks need, and where its zod schemas are. */
interface Generator {
  tool: string;
  pkg: string;
  dir: string;
  generate(): Promise<unknown>;
  /** The import lines a check file in `dir` starts with. */
  imports: string;
  /** The type of a component schema. */
  schemaType(name: string): string;
  /** The type of an operation's request body, as its call takes it. */
  bodyType(operation: Operation): string;
  /** The type of a read's 200 answer. */
  answerType?(operation: Operation): string;
  /** A module (in `dir`) and the expression, in it, of a component's zod schema. */
  zod?: { module: string; schema(name: string): string };
  /** The zod its code is written for, when not zod 3 (the package in node_modules that `zod` means for it). */
  zodPackage?: string;
}

const literal = (value: Json) => JSON.stringify(value);
/** How many path parameters come before the body in a generated call. */
const pathParameters = (o: Operation) => o.path.match(/\{/g)?.length ?? 0;
/** swagger-typescript-api's method for an operation, whichever group holds it. */
const staCall = (o: Operation) => `Extract<T.Api<unknown>[keyof T.Api<unknown>], Record<${literal(camel(pascal(o.id)))}, unknown>>[${literal(camel(pascal(o.id)))}]`;
const camel = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

const generators: Generator[] = [
  {
    tool: "@hey-api/openapi-ts",
    pkg: "@hey-api/openapi-ts",
    dir: "hey-api",
    generate: () => run(bin("openapi-ts"), ["--input", spec, "--output", `${out}hey-api`], { env }),
    imports: `import type * as T from "./types.gen.ts";`,
    schemaType: (name) => `T.${name}`,
    bodyType: (o) => `NonNullable<T.${pascal(o.id)}Data["body"]>`,
    answerType: (o) => `T.${pascal(o.id)}Responses[200]`,
  },
  {
    tool: "orval (fetch client)",
    pkg: "orval",
    dir: "orval",
    generate: async () => {
      await writeFile(`${out}orval.config.mjs`, `export default { api: { input: { target: ${literal(spec)} }, output: { target: ${literal(`${out}orval/api.ts`)}, client: "fetch", mode: "single" } } };\n`);
      return run(bin("orval"), ["--config", `${out}orval.config.mjs`], { env, cwd: out });
    },
    imports: `import type * as T from "./api.ts";`,
    schemaType: (name) => `T.${name}`,
    bodyType: (o) => `Parameters<typeof T.${camel(pascal(o.id))}>[${pathParameters(o)}]`,
    answerType: (o) => `T.${camel(pascal(o.id))}Response200["data"]`,
  },
  {
    tool: "kubb (plugin-ts, plugin-zod)",
    pkg: "@kubb/cli",
    dir: "kubb",
    generate: async () => {
      await writeFile(
        `${out}kubb.config.mjs`,
        `import { defineConfig } from "@kubb/core";
import { pluginOas } from "@kubb/plugin-oas";
import { pluginTs } from "@kubb/plugin-ts";
import { pluginZod } from "@kubb/plugin-zod";
export default defineConfig({ root: ${literal(out)}, input: { path: ${literal(spec)} }, output: { path: "./kubb", clean: true, format: false, lint: false }, plugins: [pluginOas({ generators: [] }), pluginTs(), pluginZod()] });
`,
      );
      return run(bin("kubb"), ["generate", "--config", `${out}kubb.config.mjs`], { env, cwd: out });
    },
    imports: `import type * as T from "./types/index.ts";`,
    schemaType: (name) => `T.${name}`,
    bodyType: (o) => `T.${pascal(o.id)}MutationRequest`,
    answerType: (o) => `T.${pascal(o.id)}200`,
    zod: { module: "zod/index.ts", schema: (name) => `${camel(name)}Schema` },
  },
  {
    tool: "typed-openapi (types)",
    pkg: "typed-openapi",
    dir: "typed-openapi",
    generate: async () => {
      await mkdir(`${out}typed-openapi`, { recursive: true });
      // It writes its output relative to the working directory.
      return run(bin("typed-openapi"), [spec, "--output", "typed-openapi/api.ts"], { env, cwd: out });
    },
    imports: `import type { Schemas, Endpoints } from "./api.ts";`,
    schemaType: (name) => `Schemas.${name}`,
    bodyType: (o) => `Endpoints.${o.method.toLowerCase()}_${pascal(o.id)}["parameters"]["body"]`,
    answerType: (o) => `Endpoints.${o.method.toLowerCase()}_${pascal(o.id)}["responses"][200]`,
  },
  {
    tool: "typed-openapi (zod)",
    pkg: "typed-openapi",
    dir: "typed-openapi-zod",
    generate: async () => {
      await mkdir(`${out}typed-openapi-zod`, { recursive: true });
      return run(bin("typed-openapi"), [spec, "--output", "typed-openapi-zod/api.ts", "--runtime", "zod"], { env, cwd: out });
    },
    imports: `import type * as T from "./api.ts";`,
    schemaType: (name) => `T.${name}`,
    bodyType: (o) => `import("zod").infer<(typeof T.${o.method.toLowerCase()}_${pascal(o.id)})["parameters"]>["body"]`,
    answerType: (o) => `import("zod").infer<(typeof T.${o.method.toLowerCase()}_${pascal(o.id)})["responses"]>["200"]`,
    zod: { module: "api.ts", schema: (name) => name },
    // Its client is written for zod 4 (the zod its own tests use).
    zodPackage: "zod4",
  },
  {
    tool: "swagger-typescript-api",
    pkg: "swagger-typescript-api",
    dir: "swagger-typescript-api",
    // Union types for enums: its default, TypeScript enums, takes no JSON value as it is.
    generate: () => run(bin("swagger-typescript-api"), ["generate", "--path", spec, "--output", `${out}swagger-typescript-api`, "--name", "api.ts", "--enum-style", "union"], { env }),
    imports: `import * as T from "./api.ts";`,
    schemaType: (name) => `T.${name}`,
    bodyType: (o) => `Parameters<${staCall(o)}>[${pathParameters(o)}]`,
    // The answer a call resolves with, whatever the method is grouped under.
    answerType: (o) => `Awaited<ReturnType<${staCall(o)}>>["data"]`,
  },
  {
    tool: "openapi-zod-client",
    pkg: "openapi-zod-client",
    dir: "openapi-zod-client",
    generate: async () => {
      await mkdir(`${out}openapi-zod-client`, { recursive: true });
      return run(bin("openapi-zod-client"), [spec, "--output", `${out}openapi-zod-client/api.ts`, "--export-schemas"], { env });
    },
    imports: `import { schemas } from "./api.ts";`,
    schemaType: (name) => `import("zod").infer<typeof schemas.${name}>`,
    bodyType: (o) => `import("zod").infer<typeof schemas.${o.bodySchema}>`,
    zod: { module: "api.ts", schema: (name) => `schemas.${name}` },
  },
];

type Kind = "examples accepted" | "read sent back" | "reads typed whole";
/**
 * The check file for a generator: every request example typed as its
 * update body, every read example sent back too, and each read's answer
 * typed as the whole body its schema names (and taking its examples).
 * Each check is one line, so a compiler error names the check it breaks.
 */
function checkFile(g: Generator): { text: string; kinds: Map<number, { kind: Kind; name: string }> } {
  const lines = [g.imports, `type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;`];
  const kinds = new Map<number, { kind: Kind; name: string }>();
  const add = (kind: Kind, name: string, line: string) => {
    lines.push(line);
    kinds.set(lines.length, { kind, name });
  };
  accepted.forEach(({ update, name, value }, i) => {
    if (update.bodySchema) add(sentBack.some((s) => s.name === name) ? "read sent back" : "examples accepted", name, `export const body${i}: ${g.bodyType(update)} = ${literal(value)};`);
  });
  if (g.answerType)
    operations.forEach((o, i) => {
      if (!o.answerSchema) return;
      add("reads typed whole", `${o.id} answers ${o.answerSchema} whole`, `export const whole${i}: Same<${g.answerType!(o)}, ${g.schemaType(o.answerSchema)}> = true;`);
      o.answers.forEach(({ name, value }, j) => add("reads typed whole", `${o.id}.${name}`, `export const answer${i}_${j}: ${g.answerType!(o)} = ${literal(value)};`));
    });
  return { text: `${lines.join("\n")}\n`, kinds };
}

/**
 * tsc --strict over every generator's output and check file, one run for
 * each zod the generators write for; its errors, by generator: [file, line, message].
 */
async function compileAll(made: Generator[]): Promise<Map<string, [string, number, string][]>> {
  const errors = new Map<string, [string, number, string][]>(made.map((g) => [g.dir, []]));
  const zods = [...new Set(made.map((g) => g.zodPackage ?? "zod"))];
  await Promise.all(
    zods.map(async (zod) => {
      const group = made.filter((g) => (g.zodPackage ?? "zod") === zod);
      const config = `${out}tsconfig.${zod}.json`;
      await writeFile(
        config,
        JSON.stringify({
          compilerOptions: {
            strict: true, noEmit: true, target: "ES2022", module: "ESNext", moduleResolution: "Bundler", allowImportingTsExtensions: true,
            lib: ["ES2022", "DOM", "DOM.Iterable"], skipLibCheck: true, types: [], paths: { zod: [`../${zod}`] },
          },
          include: group.map((g) => `${g.dir}/**/*.ts`),
          exclude: group.map((g) => `${g.dir}/zod-check.ts`),
        }),
      );
      const { stdout } = await run(bin("tsc"), ["-p", config, "--pretty", "false"], { env, cwd: out, maxBuffer: 64 << 20 }).catch((e) => e);
      for (const line of String(stdout).split("\n")) {
        const match = /^([^/(]+)\/([^(]+)\((\d+),\d+\): error (.*)$/.exec(line);
        if (match) errors.get(match[1]!)?.push([match[2]!, Number(match[3]), match[4]!]);
      }
    }),
  );
  return errors;
}

/** What a generator's zod schemas make of the accepted and the refused bodies. */
async function zodVerdicts(g: Generator): Promise<Record<"examples accepted" | "read sent back" | "refusals", string[]>> {
  const z = g.zod!;
  const entry = `${out}${g.dir}/zod-check.ts`;
  const cases = [...accepted, ...refused].filter((c) => c.update.bodySchema);
  await writeFile(
    entry,
    `import * as M from "./${z.module}";\nconst S: any = M;\nexport const results = [\n${cases
      .map((c) => `  (() => { try { return S.${z.schema(c.update.bodySchema!)}.safeParse(${literal(c.value)}).success; } catch (e) { return String(e); } })(),`)
      .join("\n")}\n];\n`,
  );
  const bundle = `${out}${g.dir}/zod-check.mjs`;
  // The generated modules in one file; the packages they import stay theirs.
  await build({ entryPoints: [entry], outfile: bundle, bundle: true, packages: "external", alias: g.zodPackage ? { zod: g.zodPackage } : {}, platform: "node", format: "esm", logLevel: "silent" });
  const { results } = (await import(pathToFileURL(bundle).href)) as { results: (boolean | string)[] };
  const found = { "examples accepted": [] as string[], "read sent back": [] as string[], refusals: [] as string[] };
  cases.forEach((c, i) => {
    const shouldPass = accepted.includes(c as (typeof accepted)[number]);
    const kind = !shouldPass ? "refusals" : sentBack.some((s) => s.name === c.name) ? "read sent back" : "examples accepted";
    if (results[i] !== shouldPass) found[kind].push(`${c.name}: zod ${results[i] === !shouldPass ? (shouldPass ? "refused" : "accepted") : `threw ${results[i]}`} it`);
  });
  return found;
}

async function generatorRows(): Promise<Row[]> {
  const generated = await Promise.all(
    generators.map(async (g) => {
      const runs = await attempt(g.tool, async () => {
        await g.generate();
        const files = await readdir(`${out}${g.dir}`, { recursive: true });
        return files.some((f) => String(f).endsWith(".ts")) ? pass(`${files.length} files`) : fail("generated no .ts file");
      });
      const check = runs.ok ? checkFile(g) : undefined;
      if (check) await writeFile(`${out}${g.dir}/check.ts`, check.text);
      return { g, runs, check };
    }),
  );
  const compiled = await compileAll(generated.filter((x) => x.runs.ok).map((x) => x.g));
  const result: Row[] = [];
  for (const { g, runs, check } of generated) {
    const checks: Record<string, Verdict> = { runs };
    if (runs.ok && check) {
      const errors = compiled.get(g.dir)!;
      const own = errors.filter(([file]) => file !== "check.ts");
      checks.compiles = own.length === 0 ? pass("tsc --strict") : fail(`${own.length} errors: ${own.slice(0, 2).map(([f, l, m]) => `${f}:${l} ${m}`).join("; ")}`);
      const failures: Record<string, string[]> = { "examples accepted": [], "read sent back": [], "reads typed whole": [], refusals: [] };
      const totals: Record<string, number> = { "examples accepted": 0, "read sent back": 0, "reads typed whole": 0, refusals: 0 };
      for (const { kind } of check.kinds.values()) totals[kind]!++;
      for (const [file, line, message] of errors)
        if (file === "check.ts" && check.kinds.has(line)) {
          const { kind, name } = check.kinds.get(line)!;
          failures[kind]!.push(`${name}: its type refuses it: ${message.slice(0, 200)}`);
        }
      if (g.zod) {
        totals.refusals = refused.filter((c) => c.update.bodySchema).length;
        const zod = await attempt("zod", async () => {
          const found = await zodVerdicts(g);
          for (const [kind, list] of Object.entries(found)) failures[kind]!.push(...list);
          return pass();
        });
        if (!zod.ok) failures.refusals!.push(zod.detail);
      }
      for (const kind of Object.keys(failures)) {
        if (totals[kind] === 0) continue;
        // A check of types counts one per line; a failure may be several errors on one line.
        checks[kind] = tally([...new Set(failures[kind])], totals[kind]!);
      }
    }
    result.push({ tool: g.tool, version: await versionOf(g.pkg), checks });
  }
  return result;
}

/**
 * What a tool cannot do with any spec that says what this one must, each
 * told in docs/changing-the-spec.md: shown as "known", not failed. One
 * that no longer happens fails, so that the list stays true.
 */
const known: { tool: string; check: string; cases: RegExp; why: string }[] = [
  {
    tool: "@stoplight/prism-cli (plain)",
    check: "refusals",
    cases: /the country "Narnia"/,
    why: "Prism puts the enum's values in a header; the service's \"Côte d’Ivoire\" holds U+2019, which Node refuses in a header, and Prism exits",
  },
  {
    tool: "typed-openapi (zod)",
    check: "refusals",
    cases: /an ISO date|the email "not-an-email"/,
    why: "its zod output holds no pattern or format",
  },
];

function print() {
  const unseen = new Set(known);
  const cell = (row: Row, column: string) => {
    const verdict = row.checks[column];
    if (!verdict) return "-";
    const expected = (failure: string) => known.find((k) => k.tool === row.tool && k.check === column && k.cases.test(failure));
    for (const failure of verdict.failures ?? []) if (expected(failure)) unseen.delete(expected(failure)!);
    const unexpected = (verdict.failures ?? []).filter((f) => !expected(f));
    if (verdict.ok) return `ok ${verdict.detail}`.trim();
    if (verdict.failures && unexpected.length === 0) {
      verdict.ok = true;
      return `ok ${verdict.detail}, ${verdict.failures.length} known`;
    }
    verdict.failures = unexpected;
    return "FAIL";
  };
  const table = [["tool", "version", ...columns], ...rows.map((r) => [r.tool, r.version, ...columns.map((c) => cell(r, c))])];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table) console.log(row.map((text, i) => text.padEnd(widths[i]!)).join(" | "));
  const failures = rows.flatMap((r) =>
    Object.entries(r.checks)
      .filter(([, v]) => !v.ok)
      .map(([c, v]) => `${r.tool}, ${c}: ${v.detail}${v.failures ? `\n    ${v.failures.slice(0, 5).join("\n    ")}` : ""}`),
  );
  const seenKnown = known.filter((k) => !unseen.has(k));
  if (seenKnown.length > 0) console.log(`\nKnown, the tools' own (see docs/changing-the-spec.md):\n${seenKnown.map((k) => `- ${k.tool}, ${k.check} (${k.cases.source}): ${k.why}`).join("\n")}`);
  for (const k of unseen) failures.push(`${k.tool}, ${k.check}: the known failure ${k.cases.source} no longer happens: take it off the list in test/tools/check.ts and the docs`);
  if (failures.length > 0) console.log(`\nFailures:\n${failures.map((f) => `- ${f}`).join("\n")}`);
  console.log(`\n${((performance.now() - began) / 1000).toFixed(0)} s`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

// ---------------------------------------------------------------- main

const began = performance.now();
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
console.log(`${operations.length} operations; ${accepted.length - sentBack.length} request examples, ${sentBack.length} read examples sent back, ${refused.length} refused bodies`);
rows.push(
  ...(await Promise.all([
    spectral(),
    parserValidate(
      "@apidevtools/swagger-parser",
      `import SwaggerParser from "@apidevtools/swagger-parser";
       try { await SwaggerParser.validate(${literal(spec)}); console.log("valid"); } catch (e) { console.log(e.message); }`,
    ),
    parserValidate(
      "@readme/openapi-parser",
      `import { validate } from "@readme/openapi-parser";
       const result = await validate(${literal(spec)});
       console.log(result.valid ? (result.warnings?.length ? "warnings: " + JSON.stringify(result.warnings) : "valid") : JSON.stringify(result.errors).slice(0, 600));`,
    ),
    postman(),
  ])),
);
rows.push(await prism());
rows.push(...(await generatorRows()));
print();
