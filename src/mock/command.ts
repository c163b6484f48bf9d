// `invoicexpress-openapi mock`: Prism's mock of the spec the package ships,
// with the plugin that answers a refused request in the client's words.
import { createRequire } from "node:module";
import { stopWhenStarterGone } from "../lifetime.js";
import { prismEntry, spawnPrism } from "../prism.js";
import { checkPortFree } from "../proxy/ports.js";

export const mockUsage = `Usage: invoicexpress-openapi mock [--port 4010] [--host 127.0.0.1]

Serves a mock of the spec this package ships: every operation answers its
example (ask for another status or example with a Prefer header:
"Prefer: code=404", "Prefer: code=422, example=notDraft"), and a request the
spec refuses gets 422 with one sentence per broken rule, the client's own.
Any API key will do. Ctrl-C stops it.

Needs @stoplight/prism-cli beside the package:
  npm install --save-dev @stoplight/prism-cli@5.14.2`;

export async function runMock({ port, host }: { port: number; host: string }) {
  const require = createRequire(import.meta.url);
  // Prism first: without it, the port does not matter.
  prismEntry();
  await checkPortFree(port, host);
  const child = spawnPrism(["mock", require.resolve("invoicexpress-openapi/openapi.yaml"), "--host", host, "--port", String(port)], "inherit", {
    env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${JSON.stringify(require.resolve("invoicexpress-openapi/prism-preload.cjs"))}`.trim() },
  });
  // Prism ends with the command: on Ctrl-C, when the command is ended, and (its input closing) when it is killed.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => child.kill(signal));
  stopWhenStarterGone(() => child.kill("SIGTERM"));
  child.once("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}
