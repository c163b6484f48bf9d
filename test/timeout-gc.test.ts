// The client's timeouts against a real server on 127.0.0.1 that never
// answers, while the garbage collector runs: the attempt's own `timeoutMs`,
// and a caller's `AbortSignal.timeout(...)` that nothing else holds, each
// still end the call.
import { createServer, type Server, type Socket } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createInvoiceXpressClient } from "../src/index.js";

// gc() in this worker, as `node --expose-gc` gives it.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const held: Socket[] = [];
let silent: Server;
let baseUrl: string;
beforeAll(async () => {
  silent = createServer((socket) => void held.push(socket.on("error", () => {})));
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
});
afterAll(() => {
  for (const socket of held) socket.destroy();
  silent.close();
});

/** Settles `call` while collections run every 50 ms. */
async function collecting<T>(call: () => Promise<T>): Promise<unknown> {
  const timer = setInterval(gc, 50);
  try {
    return await call().then((value) => ({ resolved: value }), (error: unknown) => error);
  } finally {
    clearInterval(timer);
  }
}

const body = { client: { name: "Client Name", code: "A1" } };

it("timeoutMs: the attempt times out after collections", async () => {
  const ix = createInvoiceXpressClient({ baseUrl, apiKey: "gc-test-key", timeoutMs: 500, maxRetries: 0 });
  expect(await collecting(() => ix.updateClient(1, body))).toMatchObject({ code: "timeout" });
}, 15_000);

it("a caller's AbortSignal.timeout(...), held by nothing else: the call rejects with its reason after collections", async () => {
  const ix = createInvoiceXpressClient({ baseUrl, apiKey: "gc-test-key", timeoutMs: 60_000, maxRetries: 0 });
  expect(await collecting(() => ix.updateClient(1, body, { signal: AbortSignal.timeout(500) }))).toMatchObject({ name: "TimeoutError" });
}, 15_000);

it("a caller's AbortSignal.timeout(...) while the call waits for a turn: the call rejects with its reason after collections, unsent", async () => {
  const ix = createInvoiceXpressClient({ baseUrl, apiKey: "gc-test-key", timeoutMs: 60_000, maxRetries: 0, rateLimit: { requests: 1, perMs: 60_000 } });
  const first = ix.updateClient(1, body, { signal: AbortSignal.timeout(2_000) }).catch(() => {});
  const sent = held.length;
  expect(await collecting(() => ix.updateClient(2, body, { signal: AbortSignal.timeout(500) }))).toMatchObject({ name: "TimeoutError" });
  await first;
  // The second call never reached the server: only the first one's connection came.
  expect(held.length).toBeLessThanOrEqual(sent + 1);
}, 15_000);
