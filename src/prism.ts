// Where Prism is: the optional peer the mock and the conformance proxy run,
// found beside the package, or a sentence that says how to install it.
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
