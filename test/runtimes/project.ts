// The project a user would have: the packed package installed from its
// tarball, and beside it the scenario, as JavaScript, with the hosts that run
// it in each kind of runtime.
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";
import { installInto, packPackage } from "../support/pack.js";

const here = fileURLToPath(new URL(".", import.meta.url));

export interface UserProject {
  dir: string;
  tarball: string;
  /** The installed package's spec and Prism plugin, which the mock is started from. */
  spec: string;
  preload: string;
  /** A home folder of its own for the runtimes, which keep their caches there. */
  home: string;
  remove(): Promise<void>;
}

export async function makeUserProject(): Promise<UserProject> {
  const root = await mkdtemp(join(tmpdir(), "invoicexpress-openapi-runtimes-"));
  const remove = () => rm(root, { recursive: true, force: true });
  try {
    const dir = join(root, "project");
    const home = join(root, "home");
    await Promise.all([mkdir(dir), mkdir(home)]);
    const { tarball } = await packPackage(root);
    await installInto(dir, tarball);

    // The scenario is type-checked as TypeScript; the runtimes get it as the
    // JavaScript a user on Node 20 would write.
    const scenario = await transform(await readFile(join(here, "scenario.ts"), "utf8"), { loader: "ts", format: "esm", target: "es2022" });
    await writeFile(join(dir, "scenario.js"), scenario.code);
    for (const host of await readdir(join(here, "hosts"))) await copyFile(join(here, "hosts", host), join(dir, host));

    const installed = join(dir, "node_modules", "invoicexpress-openapi");
    return {
      dir,
      tarball,
      spec: join(installed, "openapi", "invoicexpress.yaml"),
      preload: join(installed, "dist", "prism-preload.cjs"),
      home,
      remove,
    };
  } catch (error) {
    await remove();
    throw error;
  }
}
