// What each runtime of the matrix provides, and where the pinned runtimes
// (this folder's package.json) are installed.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { UserProject } from "./project.js";
import type { StepResult } from "./scenario.js";

export interface Runtime {
  name: string;
  /** Finds the runtime and resolves with its version; rejects with a sentence saying why it cannot run here. */
  locate(): Promise<string>;
  /** Runs the scenario in the runtime, from the user's project, against the mock. */
  run(project: UserProject, mockUrl: string): Promise<StepResult[]>;
}

export class CannotRun extends Error {
  override readonly name = "CannotRun";
}

const here = fileURLToPath(new URL(".", import.meta.url));
const modules = join(here, "node_modules");

/** A path inside the installed runtimes, which must exist. */
export function installed(...path: string[]) {
  if (!existsSync(modules)) throw new CannotRun("the pinned runtimes are not installed: run npm ci --prefix test/runtimes");
  const file = join(modules, ...path);
  if (!existsSync(file)) throw new CannotRun(`${join(...path)} is not installed (npm skips what is built for another platform than ${process.platform}-${process.arch})`);
  return file;
}

/** Loads a module of the installed runtimes (their own locators of their platform's binary). */
export function requireInstalled<T>(id: string): T {
  installed(id.split("/")[0]!);
  try {
    return createRequire(join(here, "package.json"))(id) as T;
  } catch (error) {
    throw new CannotRun(`${id} did not load: ${(error as Error).message.trim()}`);
  }
}

/** The first line a binary prints for `--version`, which also shows that it runs on this machine. */
export async function versionOf(binary: string) {
  const { stdout } = await promisify(execFile)(binary, ["--version"], { timeout: 20_000 }).catch((error: Error) => {
    throw new CannotRun(`${binary} does not run here: ${error.message}`);
  });
  return stdout.split("\n")[0]!.trim();
}
