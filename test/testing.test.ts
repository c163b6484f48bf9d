// invoicexpress-openapi/testing: the fake account through the public API, as
// a user's tests use it; held to the Prism mock on the requests of the
// contract and property tests, so that it cannot drift from the spec.
import fc from "fast-check";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createInvoiceXpressClient, InvoiceXpressError, RequestValidationError, type DocumentType, type DocumentUpdateBody, type WaitEvent } from "../src/index.js";
import { readFileSync } from "node:fs";
import { createFakeAccount, defaultSeed, type FakeAccountSeed, type SeedDocument } from "../src/testing/index.js";
import { loadSpec } from "../scripts/spec.js";
import { mutated, validValue } from "./support/arbitraries.js";
import { requests } from "../generated/request-schemas.js";
import { documentTypes, operationPaths, vendorBodies, type Operation } from "./support/vendor-bodies.js";

const draft = (type: string, id: number, status = "draft"): SeedDocument => ({
  id,
  type,
  status,
  date: "01/02/2026",
  due_date: "01/03/2026",
  client: { id: 3, name: "Acme", code: "A1" },
  items: [
    { name: "Apples", description: "Red", unit_price: "2.0", quantity: "3.0", tax: { id: 1, name: "IVA23", value: 23.0 } },
    { name: "Pears", description: "Green", unit_price: "1.5", quantity: "2.0", tax: { id: 2, name: "IVA6", value: 6.0 } },
  ],
});

// The path parameters of the contract tests, each held by the account.
const seed = (): FakeAccountSeed => ({
  clients: [{ id: 42, name: "Acme", code: "A1" }],
  purchaseOrders: [{ id: 1, status: "draft", date: "01/02/2026", items: [] }],
  documents: [...documentTypes.map((type) => draft(type, 1)), draft("invoices", 2, "final")],
});
const clientOf = (account: ReturnType<typeof createFakeAccount>, options: Record<string, unknown> = {}) =>
  createInvoiceXpressClient({ baseUrl: "https://acme.app.invoicexpress.com", apiKey: "test-key-123", fetch: account.fetch, maxRetries: 0, ...options });

describe("the fake account and the Prism mock agree", () => {
  const send = async (fetcher: (url: string, init: RequestInit) => Promise<Response>, base: string, method: string, path: string, body?: unknown) => {
    const response = await fetcher(`${base}${path}?api_key=agreement-key`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const messages = response.status === 422 ? (JSON.parse(text) as { errors: { error: string }[] }).errors.map(({ error }) => error) : [];
    return { status: response.status, messages };
  };
  const fill = (template: string, params: Record<string, unknown>) => template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(params[name])));

  it.each(Object.keys(operationPaths) as Operation[])("%s: on 150 bodies, valid and mutated, and the reads", { timeout: 120_000 }, async (operation) => {
    const account = createFakeAccount(seed());
    const [template, params] = operationPaths[operation];
    const valid = validValue(requests[`PUT ${template}`]!.body!);
    const documentType = fc.constantFrom(...documentTypes, "receipts");
    await fc.assert(
      fc.asyncProperty(fc.oneof(valid, valid.chain(mutated)), documentType, async (body, type) => {
        const path = fill(template, { ...params, "document-id": 1, "document-type": type });
        for (const [method, sent] of [["PUT", body], ["GET", undefined]] as const) {
          const fake = await send((url, init) => account.fetch(url, init), "https://acme.app.invoicexpress.com", method, path, sent);
          const mock = await send(fetch, inject("mockUrl"), method, path, sent);
          expect(fake, `${method} ${path} ${JSON.stringify(sent)}`).toEqual(mock);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("the source pages' examples: 200 from both", async () => {
    const account = createFakeAccount(seed());
    for (const [operation, [template, params]] of Object.entries(operationPaths)) {
      const path = fill(template, { ...params, "document-id": 1 });
      expect(await send((url, init) => account.fetch(url, init), "https://acme.app.invoicexpress.com", "PUT", path, vendorBodies[operation as Operation])).toEqual({ status: 200, messages: [] });
    }
  });
});

describe("it behaves as the service", () => {
  it("an update applies: fields replaced, items left out deleted, read back", async () => {
    const account = createFakeAccount(seed());
    const ix = clientOf(account);
    await ix.updateDocument("invoices", 1, {
      invoice: { date: "05/02/2026", due_date: "05/03/2026", client: { name: "Acme", code: "A1" }, items: [{ name: "Apples", description: "Red", unit_price: 2, quantity: 5 }] },
    });
    const invoice = await ix.getDocument("invoices", 1);
    expect(invoice).toMatchObject({ id: 1, status: "draft", date: "05/02/2026", items: [{ name: "Apples", quantity: "5.0", unit_price: "2.0" }] });
    expect(invoice.items).toHaveLength(1);
    expect(account.document("invoices", 1)).toEqual(invoice);
  });

  it("a tax the account does not know is the default one, whatever its name", async () => {
    const account = createFakeAccount(seed());
    for (const name of ["IVA99", "toString", "__proto__"]) {
      await clientOf(account).updateDocument("invoices", 1, {
        invoice: { date: "05/02/2026", due_date: "05/03/2026", client: { name: "Acme", code: "A1" }, items: [{ name: "A", description: "B", unit_price: 1, quantity: 1, tax: { name } }] },
      });
      expect(account.document("invoices", 1)!.items![0]!.tax).toMatchObject({ name: "IVA23", value: 23 });
    }
  });

  it("a finalised document answers 422 with the service's message", async () => {
    const ix = clientOf(createFakeAccount(seed()));
    const error = await ix.updateDocument("invoices", 2, { invoice: { date: "05/02/2026", due_date: "05/03/2026", client: { name: "Acme", code: "A1" }, items: [{ name: "A", description: "B", unit_price: 1, quantity: 1 }] } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvoiceXpressError);
    expect(error).toMatchObject({ code: "unprocessable", status: 422, messages: ["Invoice has been settled so can't be changed anymore"] });
  });

  it("an unknown ID is 404; a missing key 401; a wrong key 401 when the seed names one", async () => {
    const account = createFakeAccount({ ...seed(), apiKey: "the-right-key" });
    await expect(clientOf(account, { apiKey: "the-right-key" }).getClient(99)).rejects.toMatchObject({ code: "not_found", status: 404 });
    await expect(clientOf(account).getClient(42)).rejects.toMatchObject({ code: "unauthorized", status: 401 });
    expect((await account.fetch("https://acme.app.invoicexpress.com/clients/42.json")).status).toBe(401);
  });

  it("a body the spec refuses: 422 with the same sentences as RequestValidationError", async () => {
    const account = createFakeAccount(seed());
    const body = { client: { name: "Acme", language: "EN" } };
    const refused = await clientOf(account).updateClient(42, body as never).catch((e: RequestValidationError) => e);
    const answered = await clientOf(account, { validate: false }).updateClient(42, body as never).catch((e: InvoiceXpressError) => e);
    expect(answered).toMatchObject({ status: 422 });
    expect((answered as InvoiceXpressError).messages).toEqual((refused as RequestValidationError).issues.map(({ in: where, path, message }) => `${where} ${path}: ${message}`));
  });

  it("records each request with its parsed body, the key masked", async () => {
    const account = createFakeAccount(seed());
    await clientOf(account).updateClient(42, { client: { name: "Acme", code: "A1" } });
    expect(account.requests).toEqual([
      { method: "PUT", path: "/clients/42.json", url: "https://acme.app.invoicexpress.com/clients/42.json?api_key=***", body: { client: { name: "Acme", code: "A1" } } },
    ]);
    expect(JSON.stringify(account.requests)).not.toContain("test-key-123");
  });

  it("without a seed it holds the spec's examples", async () => {
    const ix = clientOf(createFakeAccount());
    expect(await ix.getDocument("invoices", 24206414)).toMatchObject({ status: "draft", items: [{ name: "Product A" }] });
    expect(await ix.getClient(6212263)).toMatchObject({ name: "Client Name" });
  });
});

describe("faults on demand, through the client's retries, limiter and edits", () => {
  it("503 then success: retried", async () => {
    const account = createFakeAccount(seed());
    account.failNext(1, { status: 503 });
    await expect(clientOf(account, { maxRetries: 1 }).getClient(42)).resolves.toMatchObject({ id: 42 });
    expect(account.requests).toHaveLength(2);
  });

  it("429 with Retry-After: the limiter pauses the client, then the call goes through", async () => {
    const account = createFakeAccount(seed());
    account.failNext(2, { status: 429, retryAfter: 1 });
    const waits: WaitEvent[] = [];
    const ix = clientOf(account, { onWait: (event: WaitEvent) => waits.push(event) });
    await expect(ix.getClient(42)).resolves.toMatchObject({ id: 42 });
    expect(waits.filter((event) => event.reason === "rate_limited")).toHaveLength(2);
  });

  it("a network failure is retried; past maxRetries it is the error", async () => {
    const account = createFakeAccount(seed());
    account.failNext(2, "network");
    await expect(clientOf(account, { maxRetries: 1 }).getClient(42)).rejects.toMatchObject({ code: "network" });
    await expect(clientOf(account).getClient(42)).resolves.toMatchObject({ id: 42 });
  });

  it("hang: until the caller's timeout", async () => {
    const account = createFakeAccount(seed());
    account.failNext(1, "hang");
    await expect(clientOf(account, { timeoutMs: 50 }).getClient(42)).rejects.toMatchObject({ code: "timeout" });
  });

  it("an edit keeps the items it does not touch, and a finalised document is never written", async () => {
    const account = createFakeAccount(seed());
    const ix = clientOf(account);
    await ix.editDocument("credit_notes", 1, (body) => {
      body.invoice.items[0]!.quantity = 1;
    });
    expect(account.document("credit_notes", 1)!.items!.map(({ name, quantity }) => [name, quantity])).toEqual([["Apples", "1.0"], ["Pears", "2.0"]]);
    await expect(ix.editDocument("invoices", 2, () => {})).rejects.toMatchObject({ code: "not_draft" });
    expect(account.requests.filter(({ method }) => method === "PUT")).toHaveLength(1);
  });

  it("failNext needs a whole number", () => {
    expect(() => createFakeAccount().failNext(1.5, "network")).toThrow(/whole number/);
  });
});

describe("MSW: the platform's fetch answered by the account's handlers", () => {
  const account = createFakeAccount(seed());
  const server = setupServer(...account.handlers());
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterAll(() => server.close());

  it("a client with no fetch of its own, on the account's real host", async () => {
    const ix = createInvoiceXpressClient({ accountName: "acme", apiKey: "test-key-123" });
    await ix.editClient(42, (body) => {
      body.client.city = "Porto";
    });
    expect(account.client(42)).toMatchObject({ city: "Porto" });
    expect(account.requests.map(({ method, path }) => `${method} ${path}`)).toEqual(["GET /clients/42.json", "PUT /clients/42.json"]);
  });

  it("faults reach the platform's fetch too", async () => {
    account.failNext(1, { status: 502 });
    await expect(createInvoiceXpressClient({ accountName: "acme", apiKey: "k", maxRetries: 0 }).getClient(42)).rejects.toMatchObject({ status: 502, code: "http" });
  });
});

describe("what the service does, and the fake with it", () => {
  const spec = loadSpec() as unknown as { components: { schemas: Record<string, { properties: Record<string, unknown> }> } };
  const readFields = (schema: string) => Object.keys(spec.components.schemas[schema]!.properties);
  const body = (extra: Record<string, unknown> = {}): DocumentUpdateBody => ({
    invoice: { date: "05/02/2026", due_date: "05/03/2026", client: { name: "Acme", code: "A1" }, items: [{ name: "Apples", description: "Red", unit_price: 2, quantity: 5 }], ...extra } as DocumentUpdateBody["invoice"],
  });

  it("a read holds only what the service's read holds, whatever the update sent", async () => {
    const account = createFakeAccount(seed());
    const ix = clientOf(account);
    await ix.updateDocument("credit_notes", 1, body({ owner_invoice_id: 12345, currency_code: "USD", rate: "1.2", tax_exemption_reason: "M00", plugin_id: "plugin_1", manual_sequence_number: "7", global_discount: { value_type: "percentage", value: 10 } }));
    await ix.updatePurchaseOrder(1, { purchase_order: { date: "05/02/2026", due_date: "05/03/2026", loaded_at: "05/02/2026", client: { name: "Supplies" }, items: [{ name: "Ink", description: "Black", unit_price: 1, quantity: 1 }], tax_exemption_reason: "M00" } as never });
    const document = await ix.getDocument("credit_notes", 1);
    expect(Object.keys(document).filter((name) => !readFields("DocumentRead").includes(name))).toEqual([]);
    const order = await ix.getPurchaseOrder(1);
    expect(Object.keys(order).filter((name) => !readFields("PurchaseOrderRead").includes(name))).toEqual([]);
    for (const item of [...document.items!, ...order.items!]) expect(Object.keys(item).filter((name) => !readFields("ItemRead").includes(name))).toEqual([]);
    // What the fields did shows where the read shows it: the global discount in the amounts.
    // The currency as the vendor's gem records a USD invoice reading back: the account's name, the code and rate beside it.
    expect(document).toMatchObject({ sum: 10, discount: 1, before_taxes: 9, total: 11.07, currency: "Euro", multicurrency: { currency: "USD", rate: 1.2, total: 13.28 } });
    // Sent without them, the update falls back to the account's currency and no global discount.
    await ix.updateDocument("credit_notes", 1, body());
    const fallen = await ix.getDocument("credit_notes", 1);
    expect(fallen).toMatchObject({ sum: 10, discount: 0, before_taxes: 10, total: 12.3, currency: "Euro" });
    expect(fallen).not.toHaveProperty("multicurrency");
  });

  it("a field the update leaves out reads back null, as the recorded reads answer it", async () => {
    const account = createFakeAccount({ documents: [{ ...draft("invoices", 1), reference: "PO-7", observations: "Paid" }] });
    await clientOf(account).updateDocument("invoices", 1, body({ observations: "Due" }));
    expect(account.document("invoices", 1)).toMatchObject({ reference: null, observations: "Due" });
    expect(account.document("invoices", 1)).not.toHaveProperty("retention");
  });

  it("an update of a client leaves alone the fields the service ignores", async () => {
    const account = createFakeAccount({ clients: [{ id: 42, name: "Acme", code: "A1", open_account_link: "https://example.com/42", payment_days: 30, preferred_contact: { name: "Ana", mobile: "910000000" } }] });
    await clientOf(account).updateClient(42, { client: { name: "Acme", code: "A1", open_account_link: "https://elsewhere.example", payment_days: 0, preferred_contact: { name: "Rui", mobile: "919999999" } } });
    expect(account.client(42)).toEqual({ id: 42, name: "Acme", code: "A1", open_account_link: "https://example.com/42", payment_days: 30, preferred_contact: { name: "Rui", mobile: "910000000" } });
  });

  it("a client's send_options reads back a number, as the recorded read answers it", async () => {
    const account = createFakeAccount(seed());
    await clientOf(account).updateClient(42, { client: { name: "Acme", code: "A1", send_options: "2" } });
    expect(account.client(42)!.send_options).toBe(2);
  });

  it("a document update does not rewrite an existing client, on the document or in the account", async () => {
    const account = createFakeAccount(seed());
    await clientOf(account).updateDocument("invoices", 1, body({ client: { name: "Acme", code: "A1", email: "new@example.com", city: "Faro" } }));
    expect(account.document("invoices", 1)!.client).toEqual({ id: 3, name: "Acme", code: "A1" });
    expect(account.client(42)).toEqual({ id: 42, name: "Acme", code: "A1" });
  });

  it("a no-op edit keeps item IDs and a 20-digit price as the digits they are", async () => {
    const held: FakeAccountSeed = {
      documents: [{ ...draft("invoices", 1), items: [{ id: 77, name: "Gold", description: "Bar", unit_price: "12345678901234567890.0", quantity: "1.0", tax: { id: 1, name: "IVA23", value: 23 } }] }],
    };
    const account = createFakeAccount(held);
    const before = account.document("invoices", 1)!;
    await clientOf(account).editDocument("invoices", 1, () => {});
    expect(account.document("invoices", 1)!.items).toEqual([expect.objectContaining({ id: 77, unit_price: "12345678901234567890.0", quantity: "1.0" })]);
    expect(account.document("invoices", 1)!.items![0]!.tax).toEqual(before.items![0]!.tax);
  });

  it("a no-op edit of each resource of the default seed reads back exactly as it was", async () => {
    const account = createFakeAccount();
    const ix = clientOf(account);
    const before = { clients: account.clients, purchaseOrders: account.purchaseOrders, documents: account.documents };
    const [client, order] = [defaultSeed.clients![0]!, defaultSeed.purchaseOrders![0]!];
    await ix.editClient(client.id, () => {});
    await ix.editPurchaseOrder(order.id, () => {});
    for (const { id, type } of defaultSeed.documents!) await ix.editDocument(type as DocumentType, id, () => {});
    expect(account.requests.filter(({ method }) => method === "PUT")).toHaveLength(4);
    expect({ clients: account.clients, purchaseOrders: account.purchaseOrders, documents: account.documents }).toEqual(before);
  });

  it("a no-op edit reads back as it was whatever forms the read held: numbers as numbers or text, a Multibanco reference, a client by ID and name", async () => {
    const document: SeedDocument = {
      ...draft("invoices", 1),
      client: { id: 9, name: "Acme" },
      mb_reference: { entity: "11249", reference: "123 456 789", value: "12.3" },
      sum: "10.0" as never,
      discount: 0,
      before_taxes: 10,
      taxes: 2.3,
      total: 12.3,
      items: [{ name: "Apples", description: "Red", unit_price: 10, quantity: 1, unit: null, tax: { id: 82613, name: "IVA23", value: "23.0" as never }, discount: "0.0" as never, subtotal: 10, tax_amount: 2.3, discount_amount: 0, total: 12.3 }],
    };
    const account = createFakeAccount({ clients: [{ id: 9, name: "Acme", code: "A1" }], documents: [document] });
    const before = account.document("invoices", 1);
    await clientOf(account).editDocument("invoices", 1, () => {});
    expect(account.requests.map(({ method }) => method)).toContain("PUT");
    expect(account.document("invoices", 1)).toEqual(before);
  });

  it("a unit price is rounded half up to two decimals from its digits, and written as the service writes it", async () => {
    const account = createFakeAccount(seed());
    const item = (name: string, unit_price: number | string) => ({ name, description: "", unit_price, quantity: "2.50" });
    await clientOf(account).updateDocument("invoices", 1, body({ items: [item("A", "9.995"), item("B", "0.005"), item("C", 1e21), item("D", "100"), item("E", 2.675)] }));
    expect(account.document("invoices", 1)!.items!.map(({ unit_price, quantity }) => [unit_price, quantity])).toEqual([
      ["10.0", "2.5"],
      ["0.01", "2.5"],
      ["1000000000000000000000.0", "2.5"],
      ["100.0", "2.5"],
      ["2.68", "2.5"],
    ]);
  });

  it("path IDs are the digits sent: past 2^53 found, 01 is not 1", async () => {
    const account = createFakeAccount({ ...seed(), clients: [{ id: "9007199254740993", name: "Big", code: "B" }] });
    await expect(clientOf(account).getClient("9007199254740993")).resolves.toMatchObject({ name: "Big" });
    expect(account.client("9007199254740993")).toMatchObject({ name: "Big" });
    const leadingZero = await account.fetch("https://acme.app.invoicexpress.com/invoices/01.json?api_key=k");
    expect(leadingZero.status).not.toBe(200);
    const malformed = await account.fetch("https://acme.app.invoicexpress.com/clients/%E0.json?api_key=k");
    expect([malformed.status, await malformed.json()]).toEqual([422, { errors: [{ error: "path: Not an operation of the spec." }] }]);
  });

  it("a 429 fault without retryAfter asks for 1 s; retryAfter: null sends no header", async () => {
    const account = createFakeAccount(seed());
    account.failNext(1, { status: 429 });
    account.failNext(1, { status: 429, retryAfter: null });
    const url = "https://acme.app.invoicexpress.com/clients/42.json?api_key=k";
    expect((await account.fetch(url)).headers.get("retry-after")).toBe("1");
    expect((await account.fetch(url)).headers.has("retry-after")).toBe(false);
  });

  it("a body as bytes or a Blob is read as the JSON it holds", async () => {
    const account = createFakeAccount(seed());
    const json = JSON.stringify({ client: { name: "Acme", code: "A1", city: "Braga" } });
    const put = (body: BodyInit) => account.fetch("https://acme.app.invoicexpress.com/clients/42.json?api_key=k", { method: "PUT", headers: { "content-type": "application/json" }, body });
    expect((await put(new TextEncoder().encode(json))).status).toBe(200);
    expect((await put(new Blob([json]))).status).toBe(200);
    expect(account.client(42)).toMatchObject({ city: "Braga" });
  });

  it("a form-encoded body and a query parameter the spec has not are refused, as the mock refuses them", async () => {
    const account = createFakeAccount(seed());
    const form = await account.fetch("https://acme.app.invoicexpress.com/clients/42.json?api_key=k", { method: "PUT", body: new URLSearchParams({ "client[name]": "Acme", "client[code]": "A1", "client[city]": "Faro" }) });
    expect(form.status).toBe(422);
    const query = await account.fetch("https://acme.app.invoicexpress.com/clients/42.json?api_key=k&client[city]=Faro");
    expect(query.status).toBe(422);
    expect(await query.json()).toEqual({ errors: [{ error: "query client[city]: Not a parameter of the spec; the key (api_key) and the operation's own are the only ones." }] });
    expect(account.client(42)).not.toHaveProperty("city");
  });

  it("the key is masked however it is sent: api%5Fkey in the query, a body field", async () => {
    const account = createFakeAccount(seed());
    await account.fetch("https://acme.app.invoicexpress.com/clients/42.json?api%5Fkey=secret-key-one");
    await account.fetch("https://acme.app.invoicexpress.com/clients/42.json?api_key=secret-key-two", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ client: { name: "Acme", code: "A1", observations: "key secret-key-two" }, api_key: "secret-key-three" }),
    });
    await account.fetch("https://acme.app.invoicexpress.com/clients/42.json", { method: "PUT", body: "api_key=secret-key-four&x=1" });
    // A short key is masked where it is a key: `k` in the query, under any spelling of its name.
    await account.fetch("https://acme.app.invoicexpress.com/clients/42.json?%61pi%5Fkey=k&x=k1");
    expect(JSON.stringify(account.requests)).not.toMatch(/secret-key/);
    expect(account.requests[0]!.url).toBe("https://acme.app.invoicexpress.com/clients/42.json?api%5Fkey=***");
    expect(account.requests[3]!.url).toBe("https://acme.app.invoicexpress.com/clients/42.json?%61pi%5Fkey=***&x=k1");
  });

  it("the seed is copied: changing it later changes nothing the account holds or accepts", async () => {
    const held = { ...seed(), apiKey: "the-right-key" };
    const account = createFakeAccount(held);
    held.apiKey = "another-key";
    held.clients![0]!.name = "Changed";
    await expect(clientOf(account, { apiKey: "the-right-key" }).getClient(42)).resolves.toMatchObject({ name: "Acme" });
    await expect(clientOf(account, { apiKey: "another-key" }).getClient(42)).rejects.toMatchObject({ status: 401 });
  });

  it("the default seed is a typed constant, and the guide's first lines name what it holds", async () => {
    const account = createFakeAccount();
    expect(account.clients.map(({ id }) => id)).toEqual(defaultSeed.clients!.map(({ id }) => id));
    expect(account.documents.map(({ id }) => id)).toEqual(defaultSeed.documents!.map(({ id }) => id));
    expect(Object.isFrozen(defaultSeed.clients![0])).toBe(true);
    const opening = readFileSync(new URL("../docs/testing.md", import.meta.url), "utf8").split("\n").slice(0, 12).join("\n");
    // The constant's own comment names them too, for an editor's hover.
    const comment = readFileSync(new URL("../src/testing/seed.ts", import.meta.url), "utf8").split("export const defaultSeed")[0]!;
    for (const { id } of [...defaultSeed.clients!, ...defaultSeed.purchaseOrders!, ...defaultSeed.documents!]) {
      expect(opening).toContain(String(id));
      expect(comment).toContain(String(id));
    }
    expect(opening).toContain("defaultSeed");
  });

  it("a 404 says which IDs the account holds", async () => {
    const ix = clientOf(createFakeAccount());
    const error = (await ix.getClient(42).catch((e: unknown) => e)) as InvoiceXpressError;
    expect(error).toMatchObject({ status: 404, code: "not_found" });
    expect(error.messages.join(" ")).toContain("6212263");
    const missing = (await ix.getDocument("invoices", 1).catch((e: unknown) => e)) as InvoiceXpressError;
    expect(missing.messages.join(" ")).toContain("24206414");
  });

  it("a purchase order that is not a draft answers 422, as a document does", async () => {
    const account = createFakeAccount({ purchaseOrders: [{ id: 8, status: "final", date: "01/02/2026", items: [] }] });
    const error = await clientOf(account)
      .updatePurchaseOrder(8, { purchase_order: { date: "05/02/2026", due_date: "05/03/2026", loaded_at: "05/02/2026", client: { name: "Supplies" }, items: [{ name: "Ink", description: "Black", unit_price: 1, quantity: 1 }] } } as never)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, code: "unprocessable" });
    expect(account.purchaseOrder(8)).toEqual({ id: 8, status: "final", date: "01/02/2026", items: [] });
  });
});

it("an accountName that is not an account's name alone is refused, and so is a baseUrl that is not a URL", () => {
  expect(() => createFakeAccount({ accountName: "acme.app.invoicexpress.com" })).toThrow(/accountName must be an account's name alone/);
  expect(() => createFakeAccount().handlers({ baseUrl: "127.0.0.1:4010" })).toThrow(/baseUrl must be an absolute URL/);
});

describe("MSW: several accounts, each on its own host", () => {
  const shop = createFakeAccount({ accountName: "shop", clients: [{ id: 1, name: "Shop's client", code: "S" }] });
  const bakery = createFakeAccount({ accountName: "bakery", clients: [{ id: 1, name: "Bakery's client", code: "B" }] });
  const server = setupServer(...shop.handlers(), ...bakery.handlers());
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterAll(() => server.close());

  it("each answers for its own host, whatever its case", async () => {
    const read = async (host: string) => ((await (await fetch(`https://${host}.app.invoicexpress.com/clients/1.json?api_key=k`)).json()) as { client: { name: string } }).client.name;
    expect(await read("bakery")).toBe("Bakery's client");
    expect(await read("SHOP")).toBe("Shop's client");
    expect(bakery.requests).toHaveLength(1);
    await expect(fetch("https://elsewhere.app.invoicexpress.com/clients/1.json?api_key=k")).rejects.toThrow();
  });
});
