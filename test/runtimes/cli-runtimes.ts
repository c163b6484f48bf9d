// Node (this machine's 20, the pinned 22 and 24), Deno and Bun: each runs
// hosts/cli.mjs in the user's project, which imports the installed package
// as that runtime resolves it.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { runToEnd, runtimeEnv } from "./processes.js";
import { CannotRun, installed, requireInstalled, versionOf, type Runtime } from "./runtime.js";
import type { StepResult } from "./scenario.js";

const timeoutMs = 60_000;

interface CliRuntime {
  name: string;
  binary(): string | Promise<string>;
  args(mockUrl: string): string[];
  env?: Record<string, string>;
  /** The version out of the binary's `--version`. */
  version?(reported: string): string;
}

function cliRuntime({ name, binary, args, env = {}, version = (reported) => reported }: CliRuntime): Runtime {
  let located: string | undefined;
  return {
    name,
    async locate() {
      located = await binary();
      return version(await versionOf(located));
    },
    async run(project, mockUrl) {
      const stdout = await runToEnd(located!, args(mockUrl), { cwd: project.dir, env: runtimeEnv(project.home, env), timeoutMs });
      const last = stdout.trim().split("\n").at(-1) ?? "";
      try {
        return JSON.parse(last) as StepResult[];
      } catch {
        throw new Error(`printed no results: ${stdout.trim() || "(nothing)"}`);
      }
    },
  };
}

const node = (name: string, binary: () => string, note = "") =>
  cliRuntime({ name, binary, args: (mockUrl) => ["cli.mjs", mockUrl], version: (v) => `${v.replace(/^v/, "")}${note}` });

/** Deno's own locator of its platform's binary, used whether or not its install script ran. */
const denoBinary = () => requireInstalled<{ runInstall(): string }>("deno/install_api.cjs").runInstall();

/**
 * Bun's install script moves its platform's binary (from the one package of
 * @oven/ that npm installed for this platform) into bin/bun.exe, which until
 * then is a script that says so and fails: the first that runs is Bun.
 */
async function bunBinary() {
  const platformPackages = join(installed("bun"), "..", "@oven");
  const candidates = [
    join(installed("bun"), "bin", "bun.exe"),
    ...(existsSync(platformPackages) ? readdirSync(platformPackages).map((name) => join(platformPackages, name, "bin", "bun")) : []),
  ];
  for (const candidate of candidates) {
    if (await versionOf(candidate).then(() => true, () => false)) return candidate;
  }
  throw new CannotRun(`none of ${candidates.join(", ")} runs here`);
}

export const cliRuntimes: Runtime[] = [
  node("Node 20", () => process.execPath, " (this machine's, which runs the matrix)"),
  node("Node 22", () => installed("node22", "bin", "node")),
  node("Node 24", () => installed("node24", "bin", "node")),
  cliRuntime({
    name: "Deno",
    binary: denoBinary,
    // The package comes from the project's node_modules, as Deno does when
    // it finds a package.json; nothing may be fetched, only the mock reached.
    args: (mockUrl) => ["run", "--cached-only", "--no-lock", "--no-prompt", `--allow-net=${new URL(mockUrl).host}`, "cli.mjs", mockUrl],
    env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    version: (v) => v.replace(/^deno (\S+).*/, "$1"),
  }),
  cliRuntime({
    name: "Bun",
    binary: bunBinary,
    // Bun would install a missing package on the fly: the project's must do.
    args: (mockUrl) => ["--no-install", "cli.mjs", mockUrl],
    env: { DO_NOT_TRACK: "1" },
  }),
];
