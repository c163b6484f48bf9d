// The conformance proxy in front of an upstream on 127.0.0.1 that plays the
// service's creates, state changes and emails: it checks each, forwards a
// create exactly once whatever the upstream does, and reports what deviates.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvoiceXpressClient, InvoiceXpressError } from "../src/index.js";
import { startRecordingServer, type RecordingServer } from "./support/loopback.js";
import { startProxy } from "./support/proxy-process.js";

const apiKey = "proxy-life-key-0123";
const draft = { id: 7, status: "draft", type: "Invoice", sequence_number: "rascunho", client: { id: 3, name: "John", code: "100" }, items: [] };
const invoice = { date: "03/12/2017" as const, due_date: "03/12/2017" as const, client: { name: "John", code: "100" }, items: [{ name: "A", description: "A", unit_price: 1, quantity: 1 }] };

let upstream: RecordingServer;
let proxy: Awaited<ReturnType<typeof startProxy>>;
beforeAll(async () => {
  // Each request's reference (or the path) says how the upstream answers it.
  upstream = await startRecordingServer((request, res) => {
    const json = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    const reference = String(JSON.parse(request.body || "{}").invoice?.reference ?? "");
    if (reference === "drop") return res.socket!.destroy();
    if (reference === "503") return json(503, { errors: { error: "Service Unavailable" } });
    if (reference === "no body") return res.writeHead(201).end();
    if (request.url.startsWith("/invoices.json")) return json(201, { invoice: draft });
    if (request.url.startsWith("/clients/find-by-code.json")) return json(200, { client: { id: 3, name: "John", code: "100" } });
    if (request.url.includes("/change-state.json")) return json(200, { invoice: { ...draft, status: "final", sequence_number: "1/A" } });
    return res.writeHead(200).end();
  });
  proxy = await startProxy(upstream.url);
}, 90_000);
afterAll(async () => {
  await proxy?.stop();
  await upstream.close();
});

describe("the conformance proxy and the life of a document", () => {
  const ix = () => createInvoiceXpressClient({ baseUrl: proxy.url, apiKey, maxRetries: 2 });
  const creates = () => upstream.received.filter(({ method }) => method === "POST");

  it("forwards a create, a find by code, a state change and an email once each, and hands back the answers", async () => {
    await expect(ix().createDocument("invoices", { invoice })).resolves.toEqual(draft);
    await expect(ix().findClientByCode("100")).resolves.toMatchObject({ id: 3 });
    await expect(ix().changeDocumentState("invoices", 7, { state: "finalized" })).resolves.toMatchObject({ status: "final" });
    await expect(ix().emailDocument("invoices", 7, { client: { email: "a@b.pt", save: "0" } })).resolves.toBeUndefined();
    expect(upstream.received.map(({ method, url }) => `${method} ${url.split("?")[0]}`)).toEqual([
      "POST /invoices.json", "GET /clients/find-by-code.json", "PUT /invoices/7/change-state.json", "PUT /invoices/7/email-document.json",
    ]);
    expect(upstream.received[1]!.url).toMatch(/\?client_code=100&api_key=/);
  });

  it.each(["drop", "503"])("a create the upstream answers with %s reaches it once, and the caller hears the service may have acted", { timeout: 30_000 }, async (reference) => {
    const before = creates().length;
    const error = await ix().createDocument("invoices", { invoice: { ...invoice, reference } }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(InvoiceXpressError);
    expect((error as InvoiceXpressError).messages.at(-1)).toMatch(/^The service may have acted on it, so it was not sent again/);
    expect(creates().length - before).toBe(1);
  });

  it("a create the spec refuses is never forwarded", async () => {
    const before = upstream.received.length;
    const unchecked = createInvoiceXpressClient({ baseUrl: proxy.url, apiKey, maxRetries: 0, validate: false });
    await expect(unchecked.changeDocumentState("invoices", 7, { state: "canceled" } as never)).rejects.toMatchObject({ status: 422 });
    await expect(unchecked.createDocument("invoices", { invoice_receipt: invoice } as never)).rejects.toMatchObject({ status: 422 });
    expect(upstream.received.length).toBe(before);
  });

  it("checks each answer: a create answered with no body is a violation, the checked ones none", async () => {
    await ix().createDocument("invoices", { invoice: { ...invoice, reference: "no body" } }).catch(() => undefined);
    const lines = proxy.output().split("\n");
    expect(lines.filter((line) => /^POST \/invoices\.json → 201/.test(line))).toEqual(["POST /invoices.json → 201", expect.stringMatching(/^POST \/invoices\.json → 201: [1-9]\d* violation\(s\)$/)]);
    for (const path of ["GET /clients/find-by-code.json → 200", "PUT /invoices/7/change-state.json → 200", "PUT /invoices/7/email-document.json → 200"])
      expect(lines).toContain(path);
    expect(proxy.output()).not.toContain(apiKey);
  });
});
