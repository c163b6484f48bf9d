// The package as users get it: packed by `npm pack` and installed from the
// tarball into a project of its own.
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));

export interface Packed {
  tarball: string;
  /** The paths the tarball holds, sorted. */
  files: string[];
}

/** Builds the package and packs it into `destination`. */
export async function packPackage(destination: string): Promise<Packed> {
  // Built first (what `prepare` does), so that `npm pack` prints nothing but its JSON.
  await run("npm", ["run", "--silent", "build"], { cwd: root });
  const { stdout } = await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", destination], { cwd: root });
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  return { tarball: join(destination, packed!.filename), files: packed!.files.map((f) => f.path).sort() };
}

/** Makes `project` an ES module project that has installed the tarball, as a user would. */
export async function installInto(project: string, tarball: string) {
  await writeFile(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball], { cwd: project });
}
