// `npm run proxy` started as a user starts it, in its own process group, for
// tests that talk to it over loopback; `stop()` ends the whole group.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freePort } from "../../scripts/mock.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

export async function startProxy(upstream: string, env: Record<string, string> = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  const child = spawn("npm", ["run", "proxy"], { cwd: root, env: { ...process.env, PROXY_UPSTREAM: upstream, PROXY_PORT: String(port), ...env }, detached: true });
  for (const stream of [child.stdout!, child.stderr!]) stream.on("data", (chunk) => (output += chunk));
  const started = Date.now();
  while (!output.includes(`Conformance proxy on ${url}`)) {
    if (Date.now() - started > 60_000 || child.exitCode !== null) throw new Error(`the proxy did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    output: () => output,
    /**
     * Ends its whole process group at once, writing no report (every proxy
     * writes to the same build/conformance/, which another test may be reading).
     */
    stop: () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGKILL");
      return exited;
    },
  };
}
