#!/usr/bin/env node
// The `invoicexpress-openapi` command: runs the built command, or, in a copy
// of the package that was never built, says why and what to do instead.
import { existsSync } from "node:fs";

const built = new URL("../dist/cli.js", import.meta.url);
if (existsSync(built)) await import(built.href);
else {
  console.error(`invoicexpress-openapi: this copy of the package was never built (it has no dist/).
A git install builds it with its prepare script, which did not run (--ignore-scripts, or an allowScripts policy that refuses it).
Uninstall it and install it again with the script allowed (no --ignore-scripts; npm install-scripts approve invoicexpress-openapi
allows it under a policy), or install the tarball npm pack makes in a clone, which holds the build.`);
  process.exit(1);
}
