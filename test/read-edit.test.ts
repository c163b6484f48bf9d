// Reads, and edits that keep what they do not touch, against an account
// with state served over HTTP on 127.0.0.1: it applies an update as the
// pages describe (items left out are deleted, fields are replaced), so an
// edit that dropped anything would show it on the next read.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createInvoiceXpressClient,
  documentUpdateFrom,
  InvoiceXpressError,
  type DocumentRead,
  type DocumentType,
  type InvoiceXpressClient,
} from "../src/index.js";
import type { FakeAccountSeed, SeedDocument } from "../src/testing/index.js";
import { requestIssues } from "../src/validation.js";
import { startAccountServer } from "./support/account-server.js";
import { startRecordingServer } from "./support/loopback.js";
import { documentTypes } from "./support/vendor-bodies.js";

const item = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  description: `${name}, as sold`,
  unit_price: "12.5",
  quantity: "2.0",
  unit: null,
  discount: 0.0,
  tax: { id: 1, name: "IVA23", value: 23.0 },
  subtotal: 25.0,
  tax_amount: 5.75,
  discount_amount: 0.0,
  total: 30.75,
  ...extra,
});

const draft = (type: DocumentType, id: number, extra: Record<string, unknown> = {}): SeedDocument => ({
  id,
  type,
  status: "draft",
  archived: false,
  sequence_number: "rascunho",
  date: "01/02/2026",
  due_date: "03/03/2026",
  reference: "PO-7",
  observations: null,
  retention: "5.0",
  // Its exempt item's code: without one, an edit would not know what to send.
  tax_exemption: "M07",
  permalink: `https://www.app.invoicexpress.com/documents/${id}`,
  currency: "Euro",
  client: { id: 9, name: "Acme", code: "A1" },
  items: [item("Apples"), item("Pears", { discount: 10.0, unit: "kg" }), item("Exempt", { tax: { id: 4, name: "IVA0", value: 0.0 }, tax_amount: 0.0, total: 25.0 })],
  ...extra,
});

const seed: FakeAccountSeed = {
  apiKey: "edit-key",
  clients: [
    {
      id: 9,
      name: "Acme",
      code: "A1",
      language: "pt",
      email: "billing@acme.pt",
      address: "Rua Augusta 1",
      city: "Lisboa",
      postal_code: "1100-048",
      fiscal_id: "508025338",
      website: null,
      country: "Portugal",
      phone: "213456789",
      fax: null,
      preferred_contact: { name: "Ana", email: "ana@acme.pt", phone: null, mobile: null },
      observations: "Net 30",
      open_account_link: "https://www.app.invoicexpress.com/suppliers/9",
      send_options: 1,
      payment_days: 30,
      tax_exemption_code: "M00",
    },
  ],
  purchaseOrders: [
    {
      id: 5,
      status: "draft",
      date: "01/02/2026",
      due_date: "01/03/2026",
      loaded_at: "02/02/2026",
      delivery_site: "Porto",
      observations: null,
      supplier: { id: 40, name: "Supplies Lda", email: "orders@supplies.pt", country: "Portugal" },
      items: [item("Paper"), item("Ink", { quantity: "3.5" })],
    },
    { id: 6, status: "final", date: "01/02/2026", due_date: "01/03/2026", loaded_at: "02/02/2026", supplier: { id: 40, name: "Supplies Lda" }, items: [item("Paper")] },
  ],
  documents: [
    ...documentTypes.map((type, i) => draft(type, 100 + i)),
    draft("invoices", 200, { status: "final", sequence_number: "12/A" }),
    // A read that holds only the client's ID and name.
    draft("invoices", 201, { client: { id: 9, name: "Acme" } }),
    // An exempt line whose tax the read does not name.
    draft("invoices", 202, { items: [item("Apples"), item("Exempt", { tax: { id: 4, name: null, value: 0.0 }, tax_amount: 0.0, total: 25.0 })] }),
  ],
};

let server: Awaited<ReturnType<typeof startAccountServer>>;
let ix: InvoiceXpressClient;
beforeAll(async () => {
  server = await startAccountServer(seed);
  ix = createInvoiceXpressClient({ baseUrl: server.url, apiKey: "edit-key", rateLimit: false });
});
afterAll(() => server?.close());

const puts = () => server.received.filter((request) => request.method === "PUT");
// What an edit of one item may change: that item, and the amounts the service works out again.
const computed = ["sum", "discount", "before_taxes", "taxes", "total"];
const withoutComputed = (document: DocumentRead) => Object.fromEntries(Object.entries(document).filter(([name]) => !computed.includes(name)));

describe("reads", () => {
  it("getClient resolves with the client", async () => {
    const client = await ix.getClient(9);
    expect(client).toMatchObject({ id: 9, name: "Acme", open_account_link: expect.any(String), preferred_contact: { mobile: null } });
  });

  it("getPurchaseOrder resolves with the purchase order", async () => {
    expect(await ix.getPurchaseOrder(5)).toMatchObject({ id: 5, supplier: { name: "Supplies Lda" }, items: [{ name: "Paper" }, { name: "Ink" }] });
  });

  it.each(documentTypes.map((type, i) => [type, 100 + i] as const))("getDocument(%s) takes the document from under its type's key", async (type, id) => {
    const document = await ix.getDocument(type, id);
    expect(document).toMatchObject({ id, status: "draft", items: [{ name: "Apples" }, { name: "Pears" }, { name: "Exempt" }] });
  });

  it("a 404 is not_found", async () => {
    await expect(ix.getDocument("invoices", 999)).rejects.toMatchObject({ code: "not_found", status: 404, method: "GET" });
  });

  it("a read is retried as an update is", async () => {
    server.account.failNext(1, { status: 503 });
    const before = server.received.length;
    expect(await ix.getClient(9)).toMatchObject({ id: 9 });
    expect(server.received.length - before).toBe(2);
  });

  it("a read is checked before it is sent: a bad ID or type goes nowhere", async () => {
    const before = server.received.length;
    await expect(ix.getDocument("receipts" as DocumentType, 1)).rejects.toMatchObject({ name: "RequestValidationError" });
    await expect(ix.getClient(-1)).rejects.toMatchObject({ name: "RequestValidationError" });
    expect(server.received.length).toBe(before);
  });
});

describe("an edit keeps what it does not touch", () => {
  it.each(documentTypes.map((type, i) => [type, 100 + i] as const))("editDocument(%s): one quantity changes, every other item and field stays", async (type, id) => {
    const before = await ix.getDocument(type, id);
    const sent = await ix.editDocument(type, id, (body) => {
      body.invoice.items[1]!.quantity = 7;
    });
    const after = await ix.getDocument(type, id);
    expect(sent.invoice.items).toHaveLength(3);
    const expected = structuredClone(before);
    expected.items![1]!.quantity = "7.0";
    // The service works the changed line's amounts out again; every other line is as it was.
    expect({ ...withoutComputed(after), items: after.items!.map((line, i) => (i === 1 ? { ...line, subtotal: 0, tax_amount: 0, discount_amount: 0, total: 0 } : line)) }).toEqual({
      ...withoutComputed(expected),
      items: expected.items!.map((line, i) => (i === 1 ? { ...line, subtotal: 0, tax_amount: 0, discount_amount: 0, total: 0 } : line)),
    });
  });

  it("editPurchaseOrder keeps the supplier, every item and every field", async () => {
    const before = await ix.getPurchaseOrder(5);
    await ix.editPurchaseOrder(5, (body) => ({ purchase_order: { ...body.purchase_order, delivery_site: "Braga" } }));
    const after = await ix.getPurchaseOrder(5);
    expect(after).toMatchObject({ delivery_site: "Braga", date: before.date, due_date: before.due_date, loaded_at: before.loaded_at, supplier: before.supplier });
    expect(after.items!.map(({ name, quantity, unit_price }) => [name, quantity, unit_price])).toEqual(before.items!.map(({ name, quantity, unit_price }) => [name, quantity, unit_price]));
  });

  it("editClient changes one field and keeps the others, the read-only ones included", async () => {
    const before = await ix.getClient(9);
    const sent = await ix.editClient(9, async (body) => {
      body.client.phone = "219999999";
    });
    expect(sent.client).not.toHaveProperty("open_account_link");
    expect(await ix.getClient(9)).toEqual({ ...before, phone: "219999999" });
  });

  it("a finalised document is never written", async () => {
    const before = puts().length;
    const refused = await ix.editDocument("invoices", 200, () => expect.fail("edit was called")).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InvoiceXpressError);
    expect(refused).toMatchObject({ code: "not_draft", status: undefined, messages: [expect.stringMatching(/final.*only a draft can change/)] });
    expect(puts().length).toBe(before);
  });

  it("a purchase order that is not a draft is never written either", async () => {
    const before = puts().length;
    const refused = ix.editPurchaseOrder(6, () => expect.fail("edit was called"));
    await expect(refused).rejects.toMatchObject({ code: "not_draft", messages: [expect.stringMatching(/^purchase_orders 6 is "final", and only a draft can change/)] });
    expect(puts().length).toBe(before);
  });

  it("a line whose tax the read does not name is not sent back unnamed: the account would give it its default tax", async () => {
    const before = puts().length;
    await expect(ix.editDocument("invoices", 202, (body) => void (body.invoice.due_date = "31/03/2026"))).rejects.toMatchObject({
      name: "RequestValidationError",
      issues: [{ path: "/invoice/items/1/tax/name", message: expect.stringMatching(/"Exempt".*set invoice\.items\[1\]\.tax\.name in edit/) }],
    });
    expect(puts().length).toBe(before);
    await ix.editDocument("invoices", 202, (body) => void (body.invoice.items[1]!.tax = { name: "IVA0" }));
    expect((await ix.getDocument("invoices", 202)).items![1]!.tax).toMatchObject({ name: "IVA0", value: 0 });
  });

  it("a 404 on the read ends in not_found, with nothing written", async () => {
    const before = puts().length;
    await expect(ix.editDocument("credit_notes", 999, () => {})).rejects.toMatchObject({ code: "not_found" });
    expect(puts().length).toBe(before);
  });

  it("an edit the spec refuses is not sent", async () => {
    const before = puts().length;
    await expect(
      ix.editDocument("invoices", 100, (body) => {
        body.invoice.date = "2026-02-01" as never;
      }),
    ).rejects.toMatchObject({ name: "RequestValidationError", issues: [{ path: "/invoice/date" }] });
    expect(puts().length).toBe(before);
  });

  it("a read with only the client's ID and name: the code comes from the client's own read", async () => {
    const sent = await ix.editDocument("invoices", 201, () => {});
    expect(sent.invoice.client).toEqual({ name: "Acme", code: "A1" });
  });
});

describe("documentUpdateFrom", () => {
  it("turns a read into a body the update takes, without what the service computes", () => {
    const read = { ...draft("invoices", 1), mb_reference: { entity: "10611", reference: "123 456 789", value: 12.3 } } as DocumentRead;
    const body = documentUpdateFrom(read);
    expect(requestIssues("PUT", "/{document-type}/{document-id}.json", { "document-type": "invoices", "document-id": 1 }, body)).toEqual([]);
    expect(body.invoice).not.toHaveProperty("permalink");
    expect(body.invoice.items[0]).toEqual({ name: "Apples", description: "Apples, as sold", unit_price: "12.5", quantity: "2.0", unit: null, discount: 0, tax: { name: "IVA23" } });
    expect(body.invoice.mb_reference).toBe("1");
  });
});

describe("what the service might answer instead", () => {
  it("a 200 that is not JSON, or holds no document: an InvoiceXpressError, the key nowhere", async () => {
    const apiKey = "Zk39Qp7Lw-read-key";
    const answers = [`${apiKey} <html>maintenance</html>`, JSON.stringify({ invoice: [] }), JSON.stringify({ invoice: apiKey })];
    const odd = await startRecordingServer((_request, res) => res.writeHead(200, { "content-type": "application/json" }).end(answers.shift()));
    try {
      const reader = createInvoiceXpressClient({ baseUrl: odd.url, apiKey, rateLimit: false, maxRetries: 0 });
      for (let i = 0; i < 3; i++) {
        const error = await reader.getDocument("invoices", 1).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvoiceXpressError);
        expect(error).toMatchObject({ code: "http", status: 200, messages: ["The answer holds no invoice."] });
        expect(`${(error as Error).message} ${(error as Error).stack}`).not.toContain(apiKey);
      }
    } finally {
      await odd.close();
    }
  });

  it("a read that does not say it is a draft is not edited", async () => {
    const odd = await startRecordingServer((request, res) =>
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ invoice: { ...draft("invoices", 1), status: undefined } })),
    );
    try {
      const editor = createInvoiceXpressClient({ baseUrl: odd.url, apiKey: "k", rateLimit: false });
      await expect(editor.editDocument("invoices", 1, () => {})).rejects.toMatchObject({ code: "not_draft", messages: [expect.stringMatching(/is null/)] });
      expect(odd.received.map(({ method }) => method)).toEqual(["GET"]);
    } finally {
      await odd.close();
    }
  });

  it("a Multibanco reference object with no reference in it does not turn the flag on", () => {
    const body = documentUpdateFrom({ ...draft("invoices", 1), mb_reference: { entity: null, reference: null, value: null } } as DocumentRead);
    expect(body.invoice).not.toHaveProperty("mb_reference");
  });
});
