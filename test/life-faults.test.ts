// A create and an email are never sent twice unless the service certainly did
// not act on the first: real servers on 127.0.0.1 fail on purpose, and count
// what reaches them. A state change is retried as an update is.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvoiceXpressClient, InvoiceXpressError, type FetchLike, type InvoiceXpressClient } from "../src/index.js";
import { expectNoKey } from "./support/no-key.js";

const apiKey = "life-fault-key-0123456789";

type Fault = (attempt: number, req: IncomingMessage, res: ServerResponse) => void;
const json = (status: number, body: unknown, headers: Record<string, string> = {}): Fault => (_a, _req, res) =>
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
const drop: Fault = (_a, req) => req.socket.destroy();
const stall: Fault = () => {};
const then = (first: Fault, next: Fault): Fault => (attempt, req, res) => (attempt === 1 ? first : next)(attempt, req, res);

const draft = { id: 7, status: "draft", type: "Invoice", sequence_number: "rascunho", date: "03/12/2017", due_date: "03/12/2017", client: { name: "John", code: "100" }, items: [] };
const finalDocument = { ...draft, status: "final", sequence_number: "1/A" };
// What each operation's success answers.
const created: Record<string, Fault> = {
  createClient: json(201, { client: { id: 5, name: "Client Name", code: "A1" } }),
  createPurchaseOrder: json(201, { purchase_order: { id: 9, status: "draft" } }),
  createDocument: json(201, { invoice: draft }),
  emailDocument: (_a, _req, res) => res.writeHead(200).end(),
};

// Each request names its scenario in a header; the server counts attempts per scenario.
let faults: Record<string, Fault> = {};
const attempts = new Map<string, number>();
const reads = new Map<string, number>();
const server = createServer((req, res) => {
  const scenario = String(req.headers["x-scenario"]);
  req.resume();
  req.on("end", () => {
    // The read a state change makes after a refused repeat.
    if (req.method === "GET") {
      reads.set(scenario, (reads.get(scenario) ?? 0) + 1);
      return json(200, { invoice: scenario.includes("still draft") ? draft : finalDocument })(0, req, res);
    }
    const attempt = (attempts.get(scenario) ?? 0) + 1;
    attempts.set(scenario, attempt);
    faults[scenario]!(attempt, req, res);
  });
});
let baseUrl: string;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const clientOf = (options: { timeoutMs?: number; fetch?: FetchLike; rateLimit?: false } = {}) =>
  createInvoiceXpressClient({ baseUrl, apiKey, maxRetries: 2, timeoutMs: 5_000, ...options });
const invoice = { date: "03/12/2017" as const, due_date: "03/12/2017" as const, client: { name: "John", code: "100" }, items: [{ name: "A", description: "A", unit_price: 1, quantity: 1 }] };
const calls: Record<string, (ix: InvoiceXpressClient, scenario: string) => Promise<unknown>> = {
  createClient: (ix, scenario) => ix.createClient({ client: { name: "Client Name", code: "A1" } }, { headers: { "x-scenario": scenario } }),
  createPurchaseOrder: (ix, scenario) =>
    ix.createPurchaseOrder(
      { purchase_order: { date: "03/12/2017", due_date: "03/12/2017", loaded_at: "03/12/2017", client: { name: "Supplier" }, items: [{ name: "A", description: "A", unit_price: 1, quantity: 1 }] } },
      { headers: { "x-scenario": scenario } },
    ),
  createDocument: (ix, scenario) => ix.createDocument("invoices", { invoice }, { headers: { "x-scenario": scenario } }),
  emailDocument: (ix, scenario) => ix.emailDocument("invoices", 7, { client: { email: "dest@mail.com", save: "0" } }, { headers: { "x-scenario": scenario } }),
};
const operations = Object.keys(calls);

describe("a call that may have gone through is sent once, and says how to check", () => {
  const cases = operations.flatMap((operation) =>
    (
      [
        ["drops the connection after reading the body", drop, { code: "network" }, {}],
        ["answers 503", json(503, { errors: { error: "Service Unavailable" } }), { code: "http", status: 503 }, {}],
        ["answers 500", json(500, {}), { code: "http", status: 500 }, {}],
        ["never answers", stall, { code: "timeout" }, { timeoutMs: 300 }],
      ] as const
    ).map(([fault, play, outcome, options]) => [operation, fault, play, outcome, options] as const),
  );
  it.each(cases)("%s, when the server %s", { timeout: 15_000 }, async (operation, fault, play, outcome, options) => {
    const scenario = `${operation} ${fault}`;
    faults[scenario] = play;
    const error = await calls[operation]!(clientOf(options), scenario).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(InvoiceXpressError);
    expect(error).toMatchObject(outcome);
    expect(attempts.get(scenario)).toBe(1);
    expect((error as InvoiceXpressError).messages.at(-1)).toMatch(/^The service may have acted on it, so it was not sent again: .* before you (create|send) it again$/);
    expectNoKey(error, apiKey);
  });

  it.each(operations)("%s after 429 with Retry-After, then success: sent twice, resolves", { timeout: 15_000 }, async (operation) => {
    const scenario = `${operation} 429`;
    faults[scenario] = then(json(429, { message: "Rate limit exceeded" }, { "retry-after": "1" }), created[operation]!);
    await expect(calls[operation]!(clientOf(), scenario)).resolves.not.toBeInstanceOf(Error);
    expect(attempts.get(scenario)).toBe(2);
  });

  it.each(operations)("%s whose connection failed before the request was written is sent again", { timeout: 15_000 }, async (operation) => {
    const scenario = `${operation} refused`;
    faults[scenario] = created[operation]!;
    let tries = 0;
    // The first attempt fails as Node's fetch does when nothing listens.
    const refusedOnce: FetchLike = (input, init) =>
      tries++ === 0 ? Promise.reject(new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) })) : fetch(input, init);
    await expect(calls[operation]!(clientOf({ fetch: refusedOnce }), scenario)).resolves.not.toBeInstanceOf(Error);
    expect(tries).toBe(2);
    expect(attempts.get(scenario)).toBe(1);
  });

  it("a create answered 201 without the resource says it was made, and is not sent again", async () => {
    faults["created, no body"] = (_a, _req, res) => res.writeHead(201).end();
    const error = await calls.createDocument!(clientOf(), "created, no body").catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ status: 201, messages: ["The answer holds no invoice, though the service took the create (HTTP 201): do not create it again."] });
    expect(attempts.get("created, no body")).toBe(1);
  });

  it("the created resource is what the helper resolves with", async () => {
    faults["created client"] = created.createClient!;
    await expect(calls.createClient!(clientOf(), "created client")).resolves.toEqual({ id: 5, name: "Client Name", code: "A1" });
    faults["created document"] = created.createDocument!;
    await expect(calls.createDocument!(clientOf(), "created document")).resolves.toEqual(draft);
  });
});

describe("a state change is retried as an update", () => {
  const finalise = (scenario: string) => clientOf().changeDocumentState("invoices", 7, { state: "finalized" }, { headers: { "x-scenario": scenario } });

  it("503 then 200: sent twice, resolves with the document", { timeout: 15_000 }, async () => {
    faults["state 503"] = then(json(503, {}), json(200, { invoice: finalDocument }));
    await expect(finalise("state 503")).resolves.toEqual(finalDocument);
    expect(attempts.get("state 503")).toBe(2);
  });

  it("a repeat refused because the first went through reads the document and resolves as done", { timeout: 15_000 }, async () => {
    faults["state dropped"] = then(drop, json(422, { errors: { error: "CantHandle: 1 for Invoice" } }));
    await expect(finalise("state dropped")).resolves.toEqual(finalDocument);
    expect(attempts.get("state dropped")).toBe(2);
    expect(reads.get("state dropped")).toBe(1);
  });

  it("a repeat refused while the document is not in the state asked for is the refusal", { timeout: 15_000 }, async () => {
    faults["state dropped, still draft"] = then(drop, json(422, { errors: { error: "CantHandle: 1 for Invoice" } }));
    await expect(finalise("state dropped, still draft")).rejects.toMatchObject({ status: 422, messages: ["CantHandle: 1 for Invoice"] });
  });

  it("a repeat after a 429 that is refused is the refusal: the service did not act on the first", { timeout: 15_000 }, async () => {
    faults["state 429"] = then(json(429, {}, { "retry-after": "1" }), json(422, { errors: { error: "CantHandle: 1 for Invoice" } }));
    // Without a limiter, the 429 is one of the retries.
    const unlimited = clientOf({ rateLimit: false }).changeDocumentState("invoices", 7, { state: "finalized" }, { headers: { "x-scenario": "state 429" } });
    await expect(unlimited).rejects.toMatchObject({ status: 422 });
    expect(attempts.get("state 429")).toBe(2);
    expect(reads.get("state 429")).toBeUndefined();
  });

  it("a first attempt refused is the refusal: no read, no repeat", async () => {
    faults["state refused"] = json(422, { errors: { error: "CantHandle: 1 for Invoice" } });
    await expect(finalise("state refused")).rejects.toMatchObject({ code: "unprocessable", messages: ["CantHandle: 1 for Invoice"] });
    expect(attempts.get("state refused")).toBe(1);
    expect(reads.get("state refused")).toBeUndefined();
  });
});

describe("an email written another way is still an email, unchecked", () => {
  // The service (Rails) routes a path after dropping a trailing slash and
  // squeezing doubled ones: each of these sends the document's email.
  it.each(["/invoices/7/email-document.json/", "/invoices/7/email-document.json//", "/invoices/7/email-document", "/invoices/7/email-document.JSON"])(
    "%s answered 503 reaches the server once",
    async (path) => {
      const scenario = `raw email ${path}`;
      faults[scenario] = json(503, {});
      const ix = createInvoiceXpressClient({ baseUrl, apiKey, validate: false, rateLimit: false, maxRetries: 2 });
      await ix.PUT(path as never, { body: { message: { client: { email: "dest@mail.com", save: "0" } } }, headers: { "x-scenario": scenario } } as never).catch(() => {});
      expect(attempts.get(scenario)).toBe(1);
    },
  );

  it.each(["/invoices/7/email-document.json#x", "/invoices/7/email-document.json?x=1"])("a raw path holding a query or a fragment (%s) is refused unsent", async (path) => {
    const scenario = `raw path ${path}`;
    faults[scenario] = json(200, {});
    const ix = createInvoiceXpressClient({ baseUrl, apiKey, validate: false, rateLimit: false });
    await expect(ix.PUT(path as never, { body: {}, headers: { "x-scenario": scenario } } as never)).rejects.toThrow(/query or a fragment/);
    expect(attempts.get(scenario)).toBeUndefined();
  });
});
