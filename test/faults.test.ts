// Faults from a real HTTP server on 127.0.0.1: each ends in the right outcome
// within its budget, leaves nothing unhandled, and never shows the key.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createInvoiceXpressClient, InvoiceXpressError, type WaitEvent } from "../src/index.js";
import { expectNoKey } from "./support/no-key.js";

const apiKey = "fault-test-key-0123456789";
const maxRetries = 2;
// Short where a scenario stalls on purpose; generous where the server
// answers, so that a busy machine cannot turn an answer into a timeout.
const stallTimeoutMs = 300;
const answerTimeoutMs = 5_000;

type Fault = (attempt: number, req: IncomingMessage, res: ServerResponse) => void;
const ok: Fault = (_attempt, _req, res) => res.writeHead(200).end();
const once = (fault: Fault): Fault => (attempt, req, res) => (attempt === 1 ? fault(attempt, req, res) : ok(attempt, req, res));

const reset: Fault = (_a, req) => req.socket.destroy();
const stall: Fault = () => {};
const stallBody: Fault = (_a, _req, res) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
  res.write('{"invoice":');
};
const status = (code: number, headers: Record<string, string> = {}, body = ""): Fault => (_a, _req, res) =>
  res.writeHead(code, headers).end(body);

// Each scenario owns a client id, so the server knows which fault to play.
const scenarios: Record<number, Fault> = {
  1: reset,
  2: once(reset),
  3: once(status(429, { "retry-after": "1" })),
  4: once((a, r, res) => status(429, { "retry-after": new Date(Date.now() + 1000).toUTCString() })(a, r, res)),
  5: status(503),
  6: once(status(503)),
  7: stall,
  8: once(stall),
  9: status(422, { "content-type": "application/json" }, '{"errors": ["Name can'),
  10: status(500, { "content-type": "application/octet-stream" }, "\u0000\u0001\u0002garbage"),
  11: stallBody,
  12: status(401, { "content-type": "application/json" }, JSON.stringify({ errors: { error: `Chave ${apiKey} inválida` } })),
  13: once(status(502)),
  14: once(status(504)),
};

const attempts = new Map<number, number>();
const server = createServer((req, res) => {
  const id = Number(/\/clients\/(\d+)\.json/.exec(req.url ?? "")?.[1]);
  const attempt = (attempts.get(id) ?? 0) + 1;
  attempts.set(id, attempt);
  req.resume();
  req.on("end", () => scenarios[id]!(attempt, req, res));
});

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
let baseUrl: string;

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => expect(unhandled).toEqual([]));
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const body = { client: { name: "Client Name", code: "A1" } };
// Client 8 stalls once, then must be answered within its timeout.
const timeoutFor: Record<number, number> = { 7: stallTimeoutMs, 8: 1_000, 11: stallTimeoutMs };
const update = (id: number) =>
  createInvoiceXpressClient({ baseUrl, apiKey, maxRetries, timeoutMs: timeoutFor[id] ?? answerTimeoutMs })
    .updateClient(id, body)
    .catch((error: unknown) => error);

// A budget is the most time a scenario may need: attempts × timeout plus the
// longest backoffs (0.5 s, 1 s) and waits it asks for, with room for a busy machine.
describe("faults that persist end in the right error", () => {
  it.each([
    [1, "a reset connection", { code: "network", status: undefined }, 3],
    [5, "503 every time", { code: "http", status: 503 }, 3],
    [7, "a server that never answers", { code: "timeout", status: undefined }, 3],
    [11, "a body that stalls half-way", { code: "timeout", status: undefined }, 3],
    [9, "a truncated JSON error body", { code: "unprocessable", status: 422, messages: ["The service answered HTTP 422 without a message."] }, 1],
    [10, "a binary error body", { code: "http", status: 500, messages: ["The service answered HTTP 500 without a message."] }, 1],
    [12, "an error body that echoes the key", { code: "unauthorized", status: 401, messages: ["Chave *** inválida"] }, 1],
  ] as const)("client %i, %s", { timeout: 15_000 }, async (id, _name, expected, expectedAttempts) => {
    const error = await update(id);
    expect(error).toBeInstanceOf(InvoiceXpressError);
    expect(error).toMatchObject(expected);
    expect(attempts.get(id)).toBe(expectedAttempts);
    expectNoKey(error, apiKey);
  });
});

describe("transient faults within maxRetries recover", () => {
  it.each([
    [2, "a reset connection"],
    [3, "429 with Retry-After in seconds"],
    [4, "429 with Retry-After as a date"],
    [6, "503"],
    [8, "a stalled attempt"],
    [13, "502"],
    [14, "504"],
  ])("client %i, %s", { timeout: 15_000 }, async (id) => {
    await expect(update(id)).resolves.toBeUndefined();
    expect(attempts.get(id)).toBe(2);
  });

  it("Retry-After is honoured: the client waits for it before the second attempt", { timeout: 15_000 }, async () => {
    attempts.delete(3);
    const waits: WaitEvent[] = [];
    const client = createInvoiceXpressClient({ baseUrl, apiKey, maxRetries, onWait: (event) => waits.push(event) });
    await expect(client.updateClient(3, body)).resolves.toBeUndefined();
    expect(attempts.get(3)).toBe(2);
    // What the client decided (the header's 1 s), not a clock's reading.
    expect(waits.filter(({ reason }) => reason !== "queued")).toEqual([expect.objectContaining({ reason: "rate_limited", waitMs: 1_000, status: 429 })]);
  });
});
