// `invoicexpress-openapi proxy` (and `npm run proxy` in this repository): the
// conformance proxy in front of an account, until Ctrl-C, which writes the
// report to build/conformance/.
import { mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { hostLabel, loopbackHost } from "../hosts.js";
import { stopWhenStarterGone } from "../lifetime.js";
import { checkPortFree } from "./ports.js";
import { startConformanceProxy } from "./proxy.js";
import { reportMarkdown, reportSummary } from "./report.js";

export const proxyUsage = `Usage: invoicexpress-openapi proxy

Serves the conformance proxy on 127.0.0.1: every request is checked against
the spec (one it refuses is answered 422 and not forwarded), the rest goes to
your account unchanged, and each answer is checked too. Ctrl-C stops it and
writes a report to build/conformance/ (report.json and report.md).

Set in the environment:
  INVOICEXPRESS_ACCOUNT   your account's name (acme for acme.app.invoicexpress.com)
  PROXY_UPSTREAM          or the service's origin instead (https:, or http: to loopback)
  PROXY_PORT              the port to listen on (default 4012)
  PROXY_TIMEOUT_MS        how long the service may take to answer (default 30000; then 504)

It takes at most 8 requests at once (503 past that) and bodies up to 1 MiB
(413 past that). It refuses, unforwarded, with 422: what the spec refuses, a
body that is not JSON (form-encoded, text, XML) or not UTF-8, and any query
parameter beside one api_key.

Needs @stoplight/prism-cli beside the package:
  npm install --save-dev @stoplight/prism-cli@5.14.2`;

function fail(message: string): never {
  console.error(`invoicexpress-openapi proxy: ${message}`);
  process.exit(1);
}

export async function runProxy() {
  const port = Number(process.env.PROXY_PORT ?? 4012);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail("PROXY_PORT must be a port number from 1 to 65535.");
  const timeoutMs = Number(process.env.PROXY_TIMEOUT_MS || 30_000);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 2 ** 31 - 1) fail("PROXY_TIMEOUT_MS must be a whole number of milliseconds from 1 to 2147483647.");

  const upstream = upstreamUrl();
  function upstreamUrl(): string {
    // An empty variable counts as unset.
    const { PROXY_UPSTREAM: given, INVOICEXPRESS_ACCOUNT: account } = process.env;
    if (!given) {
      if (!account) fail("set PROXY_UPSTREAM to the service's URL, or INVOICEXPRESS_ACCOUNT to your account's name.");
      if (!hostLabel.test(account)) fail(`INVOICEXPRESS_ACCOUNT must be the first label of your account's host, such as acme for acme.app.invoicexpress.com; got "${account}".`);
      return `https://${account}.app.invoicexpress.com`;
    }
    let url: URL;
    try {
      url = new URL(given);
    } catch {
      return fail("PROXY_UPSTREAM must be an absolute URL, such as https://acme.app.invoicexpress.com.");
    }
    if (url.username || url.password || url.search || url.hash || url.pathname !== "/")
      fail("PROXY_UPSTREAM must be an origin only, such as https://acme.app.invoicexpress.com: no path, query or credentials.");
    if (url.protocol !== "https:" && !(url.protocol === "http:" && loopbackHost.test(url.hostname)))
      fail(`PROXY_UPSTREAM must be https: (http: only to a loopback host), or the API key would travel in clear; got ${url.protocol}//${url.host}.`);
    return url.origin;
  }

  await checkPortFree(port).catch((error: Error) => fail(`${error.message}; set PROXY_PORT to use another.`));

  const proxy = await startConformanceProxy({ port, upstream, timeoutMs, log: (line) => console.log(line) }).catch((error: Error) => fail(error.message));
  const reportDir = resolve("build", "conformance");
  console.log(`Conformance proxy on ${proxy.url}, forwarding to ${upstream}.
  Point your client or curl at it with baseUrl ${proxy.url}. Ctrl-C stops it and writes the report to ${reportDir}.`);

  let stopping = false;
  async function stop() {
    if (stopping) return;
    stopping = true;
    // Whatever holds the proxy up, it ends: with its report when it can.
    setTimeout(() => process.exit(1), 10_000).unref();
    const report = await proxy.stop();
    mkdirSync(reportDir, { recursive: true });
    writeFileSync(resolve(reportDir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(resolve(reportDir, "report.md"), reportMarkdown(report));
    console.log(`\n${reportSummary(report)}\nWrote ${resolve(reportDir, "report.json")} and report.md.`);
    process.exit(0);
  }
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.on("SIGHUP", stop);
  stopWhenStarterGone(() => void stop());
}

