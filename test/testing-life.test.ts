// The fake account through the life of each document type, as a user's tests
// drive it: create a draft, edit it, finalise it, send it, cancel it; and
// every refusal the sources say the service makes, in its words.
import fc from "fast-check";
import { describe, expect, inject, it } from "vitest";
import { requests } from "../generated/request-schemas.js";
import { createInvoiceXpressClient, InvoiceXpressError, type DocumentType } from "../src/index.js";
import { createFakeAccount } from "../src/testing/index.js";
import { mutated, validValue } from "./support/arbitraries.js";
import { documentTypes } from "./support/vendor-bodies.js";

const apiKey = "life-test-key-123";
const setup = () => {
  const account = createFakeAccount({ apiKey, clients: [{ id: 42, name: "Acme", code: "A1", email: "old@acme.pt" }] });
  const ix = createInvoiceXpressClient({ baseUrl: "https://acme.app.invoicexpress.com", apiKey, fetch: account.fetch, maxRetries: 0 });
  return { account, ix };
};
const invoice = {
  date: "03/12/2017" as const,
  due_date: "03/12/2017" as const,
  client: { name: "Acme", code: "A1" },
  items: [{ name: "Apples", description: "Red", unit_price: 2, quantity: 3 }],
};
const refusal = (promise: Promise<unknown>) => promise.then(() => expect.fail("resolved"), (error: unknown) => error as InvoiceXpressError);

// What finalising leads to, and what then cancels it, per the vendor's table.
const finalised = (type: DocumentType) => (type === "invoice_receipts" ? "settled" : "final");

describe.each(documentTypes)("the life of one %s", (type) => {
  it("created a draft with an ID, edited, finalised with a number and read-only, emailed, canceled with its reason", async () => {
    const { account, ix } = setup();
    const draft = await ix.createDocument(type, { invoice });
    expect(draft).toMatchObject({ status: "draft", sequence_number: "rascunho", total: 7.38 });
    expect(draft.id).toEqual(expect.any(Number));
    expect(account.document(type, draft.id!)).toEqual(draft);

    await ix.editDocument(type, draft.id!, (body) => void body.invoice.items.push({ name: "Pears", description: "Green", unit_price: 1, quantity: 1 }));
    expect((await ix.getDocument(type, draft.id!)).items).toHaveLength(2);

    const final = await ix.changeDocumentState(type, draft.id!, { state: "finalized" });
    expect(final).toMatchObject({ id: draft.id, status: finalised(type), sequence_number: "1/A" });
    // No longer a draft: the update is refused in the service's words, the edit refused unsent.
    await expect(refusal(ix.updateDocument(type, draft.id!, { invoice }))).resolves.toMatchObject({
      status: 422,
      messages: ["Invoice has been settled so can't be changed anymore"],
    });
    const sent = account.requests.length;
    await expect(refusal(ix.editDocument(type, draft.id!, () => {}))).resolves.toMatchObject({ code: "not_draft" });
    expect(account.requests.slice(sent).map(({ method }) => method)).toEqual(["GET"]);

    await ix.emailDocument(type, draft.id!, { client: { email: "books@acme.pt", save: "1" }, subject: "Your invoice" });
    expect(account.emails).toEqual([
      {
        documentType: type,
        documentId: String(draft.id),
        message: { client: { email: "books@acme.pt", save: "1" }, subject: "Your invoice" },
        url: `https://acme.app.invoicexpress.com/${type}/${draft.id}/email-document.json?api_key=***`,
      },
    ]);
    expect(JSON.stringify(account.emails)).not.toContain(apiKey);
    // save: "1" keeps the address as the client's.
    expect(account.client(42)!.email).toBe("books@acme.pt");

    await expect(ix.changeDocumentState(type, draft.id!, { state: "canceled", message: "Wrong value" })).resolves.toMatchObject({ status: "canceled" });
  });

  it("a draft is deleted; a finalised one is not, in the service's words", async () => {
    const { ix } = setup();
    const draft = await ix.createDocument(type, { invoice });
    await expect(ix.changeDocumentState(type, draft.id!, { state: "deleted" })).resolves.toMatchObject({ status: "deleted" });
    const other = await ix.createDocument(type, { invoice });
    await ix.changeDocumentState(type, other.id!, { state: "finalized" });
    await expect(refusal(ix.changeDocumentState(type, other.id!, { state: "deleted" }))).resolves.toMatchObject({
      status: 422,
      messages: [`CantHandle: deleted for ${{ invoices: "Invoice", simplified_invoices: "SimplifiedInvoice", invoice_receipts: "InvoiceReceipt", credit_notes: "CreditNote", debit_notes: "DebitNote" }[type]}`],
    });
  });

  it("a cancellation without its reason is refused: unsent by the client, and by the account in the service's words", async () => {
    const { account, ix } = setup();
    const draft = await ix.createDocument(type, { invoice });
    await ix.changeDocumentState(type, draft.id!, { state: "finalized" });
    const before = account.requests.length;
    await expect(refusal(ix.changeDocumentState(type, draft.id!, { state: "canceled" } as never))).resolves.toMatchObject({ name: "RequestValidationError" });
    expect(account.requests).toHaveLength(before);
    const unchecked = createInvoiceXpressClient({ baseUrl: "https://acme.app.invoicexpress.com", apiKey, fetch: account.fetch, maxRetries: 0, validate: false });
    await expect(refusal(unchecked.changeDocumentState(type, draft.id!, { state: "canceled", message: "  " }))).resolves.toMatchObject({
      status: 422,
      messages: ["Cancel message can't be blank"],
    });
    expect(account.document(type, draft.id!)!.status).toBe(finalised(type));
  });
});

describe("the changes only the table allows", () => {
  it("settled and unsettled: credit and debit notes go back to final, an invoice does not", async () => {
    const { ix } = setup();
    for (const type of ["credit_notes", "debit_notes", "invoices"] as const) {
      const { id } = await ix.createDocument(type, { invoice });
      await ix.changeDocumentState(type, id!, { state: "finalized" });
      await expect(ix.changeDocumentState(type, id!, { state: "settled" })).resolves.toMatchObject({ status: "settled" });
      const back = ix.changeDocumentState(type, id!, { state: "unsettled" });
      if (type === "invoices") await expect(refusal(back)).resolves.toMatchObject({ status: 422, messages: ["CantHandle: unsettled for Invoice"] });
      else await expect(back).resolves.toMatchObject({ status: "final" });
    }
  });

  it("a draft cannot be canceled or settled; an unknown document is 404 in the service's words", async () => {
    const { ix } = setup();
    const { id } = await ix.createDocument("invoices", { invoice });
    await expect(refusal(ix.changeDocumentState("invoices", id!, { state: "canceled", message: "No" }))).resolves.toMatchObject({ status: 422 });
    await expect(refusal(ix.changeDocumentState("invoices", id!, { state: "settled" }))).resolves.toMatchObject({ status: 422 });
    await expect(refusal(ix.changeDocumentState("invoices", 999_999, { state: "finalized" }))).resolves.toMatchObject({ code: "not_found", messages: [expect.stringMatching(/^Document not found: The fake account holds no document invoices\/999999;/)] });
    await expect(refusal(ix.emailDocument("invoices", 999_999, { client: { email: "a@b.pt", save: "0" } }))).resolves.toMatchObject({ code: "not_found" });
  });

  it("each type's sequence numbers follow on", async () => {
    const { ix } = setup();
    const numbers = [];
    for (let i = 0; i < 3; i++) {
      const { id } = await ix.createDocument("invoices", { invoice });
      numbers.push((await ix.changeDocumentState("invoices", id!, { state: "finalized" }))!.sequence_number);
    }
    expect(numbers).toEqual(["1/A", "2/A", "3/A"]);
  });
});

describe("clients and purchase orders", () => {
  it("a client created is found by its code; a name or a code in use is refused; an unknown code finds nothing", async () => {
    const { ix } = setup();
    const created = await ix.createClient({ client: { name: "Beta", code: "B2", email: "b@beta.pt" } });
    expect(created).toMatchObject({ name: "Beta", code: "B2", id: expect.any(Number) });
    await expect(ix.findClientByCode("B2")).resolves.toEqual(created);
    await expect(ix.getClient(created.id!)).resolves.toEqual(created);
    await expect(refusal(ix.createClient({ client: { name: "Acme", code: "A9" } }))).resolves.toMatchObject({
      status: 422,
      messages: ["Nome não está disponível"],
    });
    await expect(refusal(ix.createClient({ client: { name: "Acme again", code: "A1" } }))).resolves.toMatchObject({
      status: 422,
      messages: ["Código não está disponível"],
    });
    await expect(ix.findClientByCode("nobody")).resolves.toBeUndefined();
  });

  it('a "lost" fault: the account acts, the answer never arrives; the create is not sent again, and what it made is found', async () => {
    const { account, ix } = setup();
    account.failNext(1, "lost");
    const error = await refusal(ix.createClient({ client: { name: "Beta", code: "B2" } }));
    expect(error).toMatchObject({ code: "network" });
    expect(error.messages.at(-1)).toMatch(/may have acted on it, so it was not sent again: find the client by its code/);
    expect(account.requests.filter(({ method }) => method === "POST")).toHaveLength(1);
    await expect(ix.findClientByCode("B2")).resolves.toMatchObject({ name: "Beta" });
    account.failNext(1, "lost");
    await expect(refusal(ix.createDocument("invoices", { invoice }))).resolves.toMatchObject({ code: "network" });
    expect(account.documents.filter(({ status }) => status === "draft")).toHaveLength(1);
  });

  it("an email or a state change of a document the account does not hold is a 404 that lists the documents it holds", async () => {
    const account = createFakeAccount();
    const ix = createInvoiceXpressClient({ baseUrl: "https://acme.app.invoicexpress.com", apiKey, fetch: account.fetch, maxRetries: 0 });
    for (const call of [ix.emailDocument("invoices", 999, { client: { email: "a@b.pt", save: "0" } }), ix.changeDocumentState("invoices", 999, { state: "finalized" })])
      await expect(refusal(call)).resolves.toMatchObject({ status: 404, messages: [expect.stringMatching(/holds no document invoices\/999; it holds invoices\/24206414/)] });
  });

  it("account.emails masks the key wherever the message repeats it", async () => {
    const { account, ix } = setup();
    const draft = await ix.createDocument("invoices", { invoice });
    await ix.emailDocument("invoices", draft.id!, { client: { email: "a@b.pt", save: "0" }, subject: `Key ${apiKey}`, body: `?api_key=${apiKey}` });
    expect(JSON.stringify(account.emails)).not.toContain(apiKey);
    expect(account.emails[0]!.message.subject).toBe("Key ***");
  });

  it("a document for a client the account does not know creates the client", async () => {
    const { ix } = setup();
    await ix.createDocument("invoices", { invoice: { ...invoice, client: { name: "Gamma", code: "G3" } } });
    await expect(ix.findClientByCode("G3")).resolves.toMatchObject({ name: "Gamma", id: expect.any(Number) });
  });

  it("a purchase order is created a draft, and edited as one", async () => {
    const { account, ix } = setup();
    const order = await ix.createPurchaseOrder({
      purchase_order: { date: "03/12/2017", due_date: "03/12/2017", loaded_at: "03/12/2017", client: { name: "Supplier" }, items: [{ name: "Bolts", description: "M6", unit_price: 1, quantity: 10 }] },
    });
    expect(order).toMatchObject({ status: "draft", total: 12.3 });
    await ix.editPurchaseOrder(order.id!, (body) => void (body.purchase_order.delivery_site = "Porto"));
    expect(account.purchaseOrder(order.id!)).toMatchObject({ delivery_site: "Porto", status: "draft" });
  });

  it("IDs are new: never one the account already holds", async () => {
    const { account, ix } = setup();
    const ids = [(await ix.createClient({ client: { name: "C", code: "C" } })).id, (await ix.createDocument("invoices", { invoice })).id];
    expect(new Set([42, ...ids]).size).toBe(3);
    expect(account.clients.map(({ id }) => id)).toContain(ids[0]);
  });
});

describe("the fake account and the Prism mock agree on the life's requests", () => {
  const send = async (fetcher: (url: string, init: RequestInit) => Promise<Response>, base: string, method: string, path: string, body: unknown) => {
    const response = await fetcher(`${base}${path}?api_key=agreement-key`, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const text = await response.text();
    const messages = response.status === 422 ? (JSON.parse(text) as { errors: { error: string }[] }).errors.map(({ error }) => error) : [];
    return { status: response.status, messages };
  };
  // The state change is left out: the account answers as the document's state allows, the mock always 200.
  const operations = [
    ["POST", "/clients.json", "/clients.json"],
    ["POST", "/purchase_orders.json", "/purchase_orders.json"],
    ["POST", "/{document-type}.json", "/invoice_receipts.json"],
    ["PUT", "/{document-type}/{document-id}/email-document.json", "/invoices/1/email-document.json"],
  ] as const;

  it.each(operations)("%s %s: on 100 bodies, valid and mutated", { timeout: 120_000 }, async (method, template, path) => {
    const valid = validValue(requests[`${method} ${template}`]!.body!);
    await fc.assert(
      fc.asyncProperty(fc.oneof(valid, valid.chain(mutated)), async (body) => {
        // A fresh account each time: a client created twice is refused for its name.
        const account = createFakeAccount({ documents: [{ id: 1, type: "invoices", status: "final", date: "01/02/2026", due_date: "01/02/2026", items: [] }] });
        const fake = await send((url, init) => account.fetch(url, init), "https://acme.app.invoicexpress.com", method, path, body);
        const mock = await send(fetch, inject("mockUrl"), method, path, body);
        expect(fake, `${method} ${path} ${JSON.stringify(body)}`).toEqual(mock);
      }),
      { numRuns: 100 },
    );
  });
});
