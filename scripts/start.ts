// `npm start`: builds the docs, then serves the Prism mock and the docs on
// loopback until Ctrl-C, or until whatever started it ends.
import { createServer } from "node:http";
import { stopWhenStarterGone } from "../src/lifetime.js";
import { buildDocs } from "./docs.js";
import { checkPortFree, mockBanner, startMock } from "./mock.js";

const host = "127.0.0.1";
const mockPort = port("MOCK_PORT", 4010);
const docsPort = port("DOCS_PORT", 4011);

function port(variable: string, fallback: number): number {
  const value = Number(process.env[variable] ?? fallback);
  if (!Number.isInteger(value) || value < 1 || value > 65535) fail(`${variable} must be a port number from 1 to 65535.`);
  return value;
}

function fail(message: string): never {
  console.error(`npm start: ${message}`);
  process.exit(1);
}

// Everything ends with the command however it is ended: Ctrl-C, a signal,
// its terminal closing, or npm killed (npm's shell passes no signal on).
// Until both serve, ending this process is enough: Prism ends with it.
let stop = (): unknown => process.exit(0);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => stop());
stopWhenStarterGone(() => stop());

for (const [variable, value] of [["MOCK_PORT", mockPort], ["DOCS_PORT", docsPort]] as const) {
  await checkPortFree(value, host).catch((error: Error) => fail(`${error.message}; set ${variable} to use another port.`));
}
if (mockPort === docsPort) fail("MOCK_PORT and DOCS_PORT must differ.");

console.log("Building the docs…");
let page: Buffer;
try {
  page = Buffer.from(buildDocs());
} catch (error) {
  fail((error as Error).message);
}

const docs = createServer((req, res) => {
  if (req.method !== "GET" && req.method !== "HEAD") return res.writeHead(405).end();
  // One page: Redoc routes between operations inside it.
  res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": page.length }).end(page);
});
await new Promise<void>((resolve) => docs.listen(docsPort, host, resolve));

console.log("Starting the mock…");
const mock = await startMock({ port: mockPort, host, log: process.env.MOCK_LOG === "1" }).catch((error: Error) => {
  docs.close();
  fail(error.message);
});

console.log(`
${mockBanner(mock.url)}
  Docs:                              http://${host}:${docsPort}

  Ctrl-C stops both.`);

let stopping = false;
stop = async () => {
  if (stopping) return;
  stopping = true;
  docs.closeAllConnections();
  docs.close();
  await mock.stop();
  process.exit(0);
};

mock.process.once("close", (code) => {
  const said = mock.output().trim();
  if (!stopping) fail(`the mock stopped unexpectedly (exit code ${code}).${said ? `\nPrism's last words:\n${said}` : ""}`);
});
