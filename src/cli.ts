#!/usr/bin/env node
// The `invoicexpress-openapi` command: `mock` serves a mock of the spec the
// package ships, `proxy` the conformance proxy in front of an account.
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import { mockUsage, runMock } from "./mock/command.js";
import { proxyUsage, runProxy } from "./proxy/command.js";

const usage = `Usage: invoicexpress-openapi <command> [options]

Commands:
  mock     serve a mock of the spec this package ships (Prism)
  proxy    check your account's traffic against the spec, on 127.0.0.1

Options:
  -h, --help       this text, or a command's own (invoicexpress-openapi mock --help)
  -v, --version    the package's version`;

function fail(message: string, text = usage): never {
  console.error(`invoicexpress-openapi: ${message}\n\n${text}`);
  process.exit(1);
}

const [command, ...rest] = process.argv.slice(2);
const wantsHelp = (args: string[]) => args.includes("--help") || args.includes("-h");

if (command === undefined) fail("a command is needed.");
else if (command === "--help" || command === "-h") console.log(usage);
else if (command === "--version" || command === "-v") {
  console.log((createRequire(import.meta.url)("invoicexpress-openapi/package.json") as { version: string }).version);
} else if (command === "mock") {
  if (wantsHelp(rest)) console.log(mockUsage);
  else {
    let values: { port?: string; host?: string; verbose?: boolean };
    try {
      ({ values } = parseArgs({ args: rest, options: { port: { type: "string" }, host: { type: "string" }, verbose: { type: "boolean" } }, strict: true, allowPositionals: false }));
    } catch (error) {
      fail((error as Error).message, mockUsage);
    }
    const port = Number(values.port ?? 4010);
    if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`--port must be a port number from 1 to 65535; got ${values.port}.`, mockUsage);
    await runMock({ port, host: values.host ?? "127.0.0.1", verbose: values.verbose ?? false }).catch((error: Error) => {
      console.error(`invoicexpress-openapi mock: ${error.message}`);
      process.exit(1);
    });
  }
} else if (command === "proxy") {
  if (wantsHelp(rest)) console.log(proxyUsage);
  else if (rest.length > 0) fail(`unknown arguments "${rest.join(" ")}"; the proxy is set through its environment.`, proxyUsage);
  else await runProxy();
} else fail(`unknown command "${command}".`);
