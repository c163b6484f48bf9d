// `invoicexpress-openapi mock`: Prism's mock of the spec the package ships,
// with the plugin that answers a refused request in the client's words.
import { createRequire } from "node:module";
import { stopWhenStarterGone } from "../lifetime.js";
import { prismEntry } from "../prism.js";
import { checkPortFree } from "../proxy/ports.js";
import { mockBanner, startMock } from "./start.js";

export const mockUsage = `Usage: invoicexpress-openapi mock [--port 4010] [--host 127.0.0.1] [--verbose]

Serves a mock of the spec this package ships: every operation answers its
example (ask for another status or example with a Prefer header:
"Prefer: code=404", "Prefer: code=422, example=notDraft"), and a request the
spec refuses gets 422 with one sentence per broken rule, the client's own.
Any API key will do. Ctrl-C stops it.

Options:
  --port       where it listens (4010)
  --host       the address it listens on (127.0.0.1)
  --verbose    show Prism's own log, a few lines a request

Needs @stoplight/prism-cli beside the package:
  npm install --save-dev @stoplight/prism-cli@5.14.2`;

export async function runMock({ port, host, verbose }: { port: number; host: string; verbose: boolean }) {
  const require = createRequire(import.meta.url);
  // Prism first: without it, the port does not matter.
  prismEntry();
  await checkPortFree(port, host).catch((error: Error) => {
    throw new Error(`${error.message}; --port picks another.`);
  });
  const spec = require.resolve("invoicexpress-openapi/openapi.yaml");
  const preload = require.resolve("invoicexpress-openapi/prism-preload.cjs");
  const mock = await startMock({ port, host, log: verbose, spec, preload });
  console.log(`${mockBanner(mock.url)}\n\n  Ctrl-C stops it${verbose ? "" : "; --verbose shows Prism's request log"}.`);
  let stopping = false;
  const stop = () => {
    stopping = true;
    void mock.stop().then(() => process.exit(0));
  };
  // Prism ends with the command: on Ctrl-C, when the command is ended, when
  // whatever started it ends, and (its input closing) when it is killed.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, stop);
  stopWhenStarterGone(stop);
  mock.process.once("close", (code) => {
    if (stopping) return;
    const said = mock.output().trim();
    console.error(`invoicexpress-openapi mock: Prism stopped unexpectedly (exit code ${code}).${said ? `\nPrism's last words:\n${said}` : ""}`);
    process.exit(1);
  });
}
