// Cloudflare's Workers runtime, workerd, from the npm registry: the scenario
// bundled with the installed package (esbuild, with the conditions Workers
// tooling uses) into a Worker whose only way out is to loopback addresses.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { build } from "esbuild";
import { freePort } from "../../scripts/mock.js";
import { start, runtimeEnv } from "./processes.js";
import { requireInstalled, versionOf, type Runtime } from "./runtime.js";
import type { StepResult } from "./scenario.js";

interface Workerd {
  /** The binary of this platform's package. */
  default: string;
  version: string;
  /** The newest compatibility date this workerd knows. */
  compatibilityDate: string;
}

const config = ({ port, compatibilityDate }: { port: number; compatibilityDate: string }) => `
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "scenario", worker = .scenario),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "scenario")],
);

const scenario :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "${compatibilityDate}",
  globalOutbound = "loopback",
);
`;

async function waitUntilReady(url: string, exited: Promise<string>, withinMs: number) {
  const deadline = Date.now() + withinMs;
  let ended: string | undefined;
  void exited.then((how) => (ended = how));
  while (Date.now() < deadline && ended === undefined) {
    const ready = await fetch(url).then(async (response) => (await response.text()) === "ready", () => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(ended === undefined ? `the Worker did not answer within ${withinMs / 1000} s` : `workerd exited (${ended})`);
}

let workerd: Workerd;

export const workerdRuntime: Runtime = {
  name: "workerd",
  async locate() {
    workerd = requireInstalled<Workerd>("workerd");
    await versionOf(workerd.default);
    return `${workerd.version} (compatibility date ${workerd.compatibilityDate})`;
  },
  async run(project, mockUrl) {
    await build({
      entryPoints: [join(project.dir, "worker.mjs")],
      absWorkingDir: project.dir,
      outfile: join(project.dir, "worker.js"),
      bundle: true,
      format: "esm",
      platform: "browser",
      conditions: ["workerd", "worker", "browser"],
      target: "es2022",
      logLevel: "silent",
    });
    const port = await freePort();
    await writeFile(join(project.dir, "workerd.capnp"), config({ port, compatibilityDate: workerd.compatibilityDate }));
    const server = start(workerd.default, ["serve", "workerd.capnp", "--verbose"], { cwd: project.dir, env: runtimeEnv(project.home) });
    try {
      const url = `http://127.0.0.1:${port}/`;
      await waitUntilReady(url, server.exited, 20_000);
      const response = await fetch(`${url}?mock=${encodeURIComponent(mockUrl)}`, { signal: AbortSignal.timeout(60_000) });
      if (!response.ok) throw new Error(`the Worker answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as StepResult[];
    } catch (error) {
      const { stderr } = server.output();
      throw new Error(`${(error as Error).message}. ${stderr.trim()}`.trim());
    } finally {
      await server.stop();
    }
  },
};
