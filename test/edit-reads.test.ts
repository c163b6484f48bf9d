// Edits of reads in the forms real reads come in, against a real server on
// 127.0.0.1 that answers one read and records what comes back: a no-op edit
// sends what keeps the resource as the read showed it, in the forms the
// update takes, and where the read cannot say what the update needs, it is
// refused unsent with an issue that says what to set.
import { describe, expect, it } from "vitest";
import { readExamples } from "../generated/examples.js";
import { createInvoiceXpressClient, RequestValidationError, type InvoiceXpressClient } from "../src/index.js";
import { startRecordingServer } from "./support/loopback.js";

/** Runs `call` against a server whose reads answer `resource` under `root` (and a client's read, for a document's client code); what was sent back is in `puts`. */
async function against(root: string, resource: unknown, call: (ix: InvoiceXpressClient) => Promise<unknown>) {
  const server = await startRecordingServer((request, res) => {
    const body = request.url.startsWith("/clients/") && root !== "client" ? { client: { id: 9, name: "Acme", code: "A1" } } : { [root]: resource };
    if (request.method === "GET") res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    else res.writeHead(200).end();
  });
  try {
    const ix = createInvoiceXpressClient({ baseUrl: server.url, apiKey: "edit-reads-key", rateLimit: false, maxRetries: 0 });
    const outcome = await call(ix).then(
      (value) => ({ value, error: undefined }),
      (error: unknown) => ({ value: undefined, error }),
    );
    return { ...outcome, puts: server.received.filter(({ method }) => method === "PUT").map(({ body }) => JSON.parse(body)) };
  } finally {
    await server.close();
  }
}

type Read = Record<string, unknown> & { items: Record<string, unknown>[] };
const invoiceExample = readExamples.documents.invoices as Read;
// A line as a recorded live read answered it, under another name.
const line = (name: string, extra: Record<string, unknown> = {}) => ({ ...invoiceExample.items[0], name, ...extra });
const draft = (extra: Record<string, unknown> = {}) => ({
  id: 1,
  status: "draft",
  type: "Invoice",
  sequence_number: "rascunho",
  date: "07/05/2017",
  due_date: "08/05/2017",
  reference: null,
  observations: null,
  retention: null,
  currency: "Euro",
  client: { id: 9, name: "Acme", code: "A1" },
  items: [line("Product A")],
  ...extra,
});
const editInvoice = (read: unknown, edit: Parameters<InvoiceXpressClient["editDocument"]>[2] = () => {}) =>
  against("invoice", read, (ix) => ix.editDocument("invoices", 1, edit));
const sentLine = { name: "Product A", description: "Cleaning product", unit_price: "10.0", quantity: "1.0", unit: null, discount: 0, tax: { name: "IVA23" } };

/** The issues of a refusal: it must be a RequestValidationError with nothing sent. */
function refusal(outcome: Awaited<ReturnType<typeof against>>) {
  expect(outcome.error).toBeInstanceOf(RequestValidationError);
  expect(outcome.puts).toEqual([]);
  return (outcome.error as RequestValidationError).issues;
}

describe("the spec's read examples edit as no-ops", () => {
  it("the client: every field the update takes, as the read had it", async () => {
    const { puts, error } = await against("client", readExamples.client, (ix) => ix.editClient(6212263, () => {}));
    expect(error).toBeUndefined();
    const { id, open_account_link, payment_days, tax_exemption_code, preferred_contact, ...kept } = readExamples.client as Record<string, unknown>;
    const { mobile, ...contact } = preferred_contact as Record<string, unknown>;
    expect(puts).toEqual([{ client: { ...kept, preferred_contact: contact } }]);
  });

  it("the purchase order: its dates, site, supplier and items", async () => {
    const { puts, error } = await against("purchase_order", readExamples.purchaseOrder, (ix) => ix.editPurchaseOrder(1503, () => {}));
    expect(error).toBeUndefined();
    expect(puts).toEqual([
      {
        purchase_order: {
          date: "03/12/2017",
          due_date: "03/12/2017",
          loaded_at: "03/12/2017",
          delivery_site: "Lisboa",
          observations: null,
          client: { name: "Supplier Name" },
          items: [{ name: "Item Name", description: "Item Description", unit_price: "100.0", quantity: "5.0", unit: "service", discount: 0, tax: { name: "IVA23" } }],
        },
      },
    ]);
  });

  it.each(Object.entries(readExamples.documents))("the %s: every field it holds that the update takes", async (type, read) => {
    const { puts, error } = await against(type.replace(/s$/, ""), read, (ix) => ix.editDocument(type as "invoices", 1, () => {}));
    expect(error).toBeUndefined();
    expect(puts).toEqual([
      {
        invoice: {
          date: "07/05/2017",
          due_date: "08/05/2017",
          reference: null,
          observations: null,
          retention: null,
          client: { name: "John", code: "100" },
          items: [{ name: "Product A", description: "Cleaning product", unit_price: "10.0", unit: null, quantity: "1.0", tax: { name: "IVA23" }, discount: 0 }],
        },
      },
    ]);
  });
});

describe("a purchase order that is not a draft", () => {
  it.each(["final", "accepted", null])("status %j: refused before anything is written, as a document is", async (status) => {
    let called = false;
    const { error, puts } = await against("purchase_order", { ...(readExamples.purchaseOrder as object), status }, (ix) =>
      ix.editPurchaseOrder(1503, () => void (called = true)),
    );
    expect(error).toMatchObject({ name: "InvoiceXpressError", code: "not_draft", status: undefined, messages: [expect.stringMatching(/^purchase_orders 1503 is .*only a draft can change/)] });
    expect(called).toBe(false);
    expect(puts).toEqual([]);
  });
});

describe("a tax the read does not name", () => {
  const unnamed = [
    ["name null", { id: 4, name: null, value: 0.0 }],
    ["name empty", { id: 4, name: "", value: 0.0 }],
    ["tax null", null],
  ] as const;

  it.each(unnamed)("%s: refused unsent, the issue naming the field and what to set", async (_case, tax) => {
    const issues = refusal(await editInvoice(draft({ tax_exemption: "M07", items: [line("Product A"), line("Exempt", { tax })] })));
    expect(issues).toEqual([{ in: "body", path: "/invoice/items/1/tax/name", message: expect.stringMatching(/"Exempt".*set invoice\.items\[1\]\.tax.*in edit/) }]);
  });

  it.each(unnamed)("%s: sent once the edit names it", async (_case, tax) => {
    const { puts, error } = await editInvoice(draft({ tax_exemption: "M07", items: [line("Exempt", { tax })] }), (body) => {
      body.invoice.items[0]!.tax = { name: "IVA0" };
    });
    expect(error).toBeUndefined();
    expect(puts[0].invoice.items[0].tax).toEqual({ name: "IVA0" });
  });

  it("a read that echoes the key: the issue masks it", async () => {
    const issues = refusal(await editInvoice(draft({ items: [line("edit-reads-key", { tax: null })] })));
    expect(issues).toEqual([{ in: "body", path: "/invoice/items/0/tax/name", message: expect.stringMatching(/^item "\*\*\*"'s tax/) }]);
  });

  it("in a purchase order too", async () => {
    const read = { ...(readExamples.purchaseOrder as { items: object[] }), items: [line("Paper", { tax: null })] };
    const issues = refusal(await against("purchase_order", read, (ix) => ix.editPurchaseOrder(1503, () => {})));
    expect(issues).toEqual([{ in: "body", path: "/purchase_order/items/0/tax/name", message: expect.stringMatching(/set purchase_order\.items\[0\]\.tax/) }]);
  });
});

describe("exempt items with no exemption code in the read", () => {
  const exempt = line("Exempt", { tax: { id: 4, name: "IVA0", value: 0.0 }, tax_amount: 0.0, total: 10.0 });

  it.each([[""], [null], [undefined]])("tax_exemption %j: refused unsent, saying what to set", async (code) => {
    const issues = refusal(await editInvoice(draft({ tax_exemption: code, items: [line("Product A"), exempt] })));
    expect(issues).toEqual([{ in: "body", path: "/invoice/tax_exemption", message: expect.stringMatching(/"Exempt".*set invoice\.tax_exemption.*in edit/) }]);
  });

  it("sent once the edit sets the code, or when the read holds it", async () => {
    const set = await editInvoice(draft({ tax_exemption: "", items: [exempt] }), (body) => void (body.invoice.tax_exemption = "M07"));
    expect(set.puts[0].invoice.tax_exemption).toBe("M07");
    const held = await editInvoice(draft({ tax_exemption: "M07", items: [exempt] }));
    expect(held.error).toBeUndefined();
    expect(held.puts[0].invoice.tax_exemption).toBe("M07");
  });

  it("no exempt item, or none left after the edit: nothing to set", async () => {
    expect((await editInvoice(draft({ tax_exemption: "" }))).puts[0].invoice).toMatchObject({ tax_exemption: "" });
    const removed = await editInvoice(draft({ tax_exemption: "", items: [line("Product A"), exempt] }), (body) => void body.invoice.items.pop());
    expect(removed.puts[0].invoice.items).toEqual([sentLine]);
  });
});

describe("the document's currency", () => {
  it("a document in another currency than the account's (multicurrency in the read) keeps its code and rate", async () => {
    const { puts, error } = await editInvoice(draft({ multicurrency: { rate: 1.09, currency: "USD", total: 43.6 } }));
    expect(error).toBeUndefined();
    expect(puts[0].invoice).toMatchObject({ currency_code: "USD", rate: 1.09 });
  });

  it("Euro, with no multicurrency: the account's currency, and no currency_code is sent", async () => {
    const { puts } = await editInvoice(draft());
    expect(puts[0].invoice).not.toHaveProperty("currency_code");
  });

  it("another name with no code beside it: refused unsent until the edit sets currency_code", async () => {
    const read = draft({ currency: "U.S. dollar" });
    const issues = refusal(await editInvoice(read));
    expect(issues).toEqual([{ in: "body", path: "/invoice/currency_code", message: expect.stringMatching(/"U\.S\. dollar".*set invoice\.currency_code/) }]);
    const set = await editInvoice(read, (body) => void Object.assign(body.invoice, { currency_code: "USD", rate: "1.1" }));
    expect(set.puts[0].invoice).toMatchObject({ currency_code: "USD", rate: "1.1" });
  });
});

describe("read forms the update writes otherwise", () => {
  it("a document's client with an email and a country the update refuses: sent as what identifies it", async () => {
    const { puts, error } = await editInvoice(draft({ client: { id: 9, name: "Acme", code: "A1", email: "billing at acme", country: "Portugal (PT)", phone: "" } }));
    expect(error).toBeUndefined();
    expect(puts[0].invoice.client).toEqual({ name: "Acme", code: "A1" });
  });

  it("a purchase order's supplier: its name and code", async () => {
    // A read that names the supplier `supplier`, as the API v1 description does (the spec's example names it `client`).
    const { client: _client, ...example } = readExamples.purchaseOrder as Record<string, unknown>;
    const read = { ...example, supplier: { id: 88, name: "Supplier Name", code: "S1", email: "", country: "Nowhere" } };
    const { puts, error } = await against("purchase_order", read, (ix) => ix.editPurchaseOrder(1503, () => {}));
    expect(error).toBeUndefined();
    expect(puts[0].purchase_order.client).toEqual({ name: "Supplier Name", code: "S1" });
  });

  it("an item's description null, mb_reference \"true\", global_discount 0.0, sequence_id 0", async () => {
    const { puts, error } = await editInvoice(draft({ items: [line("Product A", { description: null })], mb_reference: "true", global_discount: 0.0, sequence_id: 0 }));
    expect(error).toBeUndefined();
    expect(puts[0].invoice.items[0].description).toBe("");
    expect(puts[0].invoice).toMatchObject({ mb_reference: "1", global_discount: { value_type: "percentage", value: 0 } });
    expect(puts[0].invoice).not.toHaveProperty("sequence_id");
    expect((await editInvoice(draft({ mb_reference: "false" }))).puts[0].invoice.mb_reference).toBe("0");
  });

  it("a global_discount that is a number other than 0 does not say percentage or amount: refused until the edit says", async () => {
    const read = draft({ global_discount: 10.0 });
    const issues = refusal(await editInvoice(read));
    expect(issues).toEqual([{ in: "body", path: "/invoice/global_discount", message: expect.stringMatching(/10.*set invoice\.global_discount/) }]);
    const set = await editInvoice(read, (body) => void (body.invoice.global_discount = { value_type: "percentage", value: 10 }));
    expect(set.puts[0].invoice.global_discount).toEqual({ value_type: "percentage", value: 10 });
  });

  it.each([
    ["language", ""],
    ["send_options", ""],
    ["send_options", 0],
    ["preferred_contact", []],
  ])("editClient: %s %j, a read's unset field, is left out (the update has no such form)", async (field, value) => {
    const read = { ...(readExamples.client as object), [field]: value };
    const { puts, error } = await against("client", read, (ix) => ix.editClient(6212263, (body) => void (body.client.phone = "1")));
    expect(error).toBeUndefined();
    expect(puts[0].client).not.toHaveProperty(field);
    expect(puts[0].client).toMatchObject({ name: "Client Name", code: "12345", phone: "1" });
  });

  it("editClient: a read's email null, the client's and its contact's, is sent as \"\": both say no address, and the update takes no null", async () => {
    const { preferred_contact, ...client } = readExamples.client as Record<string, unknown>;
    const read = { ...client, email: null, preferred_contact: { ...(preferred_contact as object), email: null } };
    const { puts, error } = await against("client", read, (ix) => ix.editClient(6212263, () => {}));
    expect(error).toBeUndefined();
    expect(puts[0].client.email).toBe("");
    expect(puts[0].client.preferred_contact.email).toBe("");
  });

  it("editClient: an email the edit sets to null is refused unsent, naming the field and the rule", async () => {
    const outcome = await against("client", readExamples.client, (ix) => ix.editClient(6212263, (body) => void ((body.client as Record<string, unknown>).email = null)));
    expect(refusal(outcome)).toEqual([{ in: "body", path: "/client/email", message: "Expected a valid email address, such as foo@bar.com." }]);
  });
});
