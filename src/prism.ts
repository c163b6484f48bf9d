// Where Prism is (the optional peer the mock and the conformance proxy run,
// found beside the package, or a sentence that says how to install it), and
// running it so that it ends when the process that started it ends.
import { spawn, type SpawnOptions } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export const prismVersion = "5.14.2";

/** The file Prism's `prism` command runs. */
export function prismEntry(): string {
  const require = createRequire(import.meta.url);
  let prismPackage: string;
  try {
    prismPackage = require.resolve("@stoplight/prism-cli/package.json");
  } catch {
    throw new Error(`@stoplight/prism-cli is not installed: npm install --save-dev @stoplight/prism-cli@${prismVersion}`);
  }
  return join(dirname(prismPackage), (require(prismPackage) as { bin: { prism: string } }).bin.prism);
}

// Prism reads its standard input, a pipe from this process: when this
// process ends, however it ends (SIGKILL included), the pipe closes and
// Prism exits.
const watchdog = "data:text/javascript,process.stdin.on('end',()=>process.exit(0)).on('error',()=>process.exit(0)).resume()";

/** Prism with `args`, ending with this process; its output is dropped, shown, or piped to this process. */
export function spawnPrism(args: string[], output: "ignore" | "inherit" | "pipe", options: SpawnOptions = {}) {
  return spawn(process.execPath, ["--import", watchdog, prismEntry(), ...args], { ...options, stdio: ["pipe", output, output] });
}
