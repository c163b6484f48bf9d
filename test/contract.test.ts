// Contract tests: the package's own client against a real Prism mock of the spec.
import { describe, expect, inject, it } from "vitest";
import { loadSpec, requestExamples } from "../scripts/spec.js";
import { InvoiceXpressError } from "../src/index.js";
import { mockClient } from "./support/mock-client.js";
import { readExamples } from "../generated/examples.js";
import { documentTypes, vendorBodies } from "./support/vendor-bodies.js";

const spec = loadSpec();
const refusal = (promise: Promise<unknown>) => promise.then(() => expect.fail("resolved"), (error: unknown) => error);
const { updateClient: vendorClient, updatePurchaseOrder: vendorPurchaseOrder, updateDocument: vendorDocument } = vendorBodies;

describe("the source pages' examples succeed with no violations", () => {
  const { ix, violations } = mockClient();

  it("updateClient", async () => {
    await expect(ix.updateClient(42, vendorClient as never)).resolves.toBeUndefined();
    expect(violations()).toBeNull();
  });

  it("updatePurchaseOrder", async () => {
    await expect(ix.updatePurchaseOrder(1, vendorPurchaseOrder as never)).resolves.toBeUndefined();
    expect(violations()).toBeNull();
  });

  it.each(documentTypes)("updateDocument: %s", async (type) => {
    await expect(ix.updateDocument(type, 1, vendorDocument as never)).resolves.toBeUndefined();
    expect(violations()).toBeNull();
  });
});

describe("every request example in the spec passes Prism's validation", () => {
  const { ix, violations } = mockClient();
  const examples = (operationId: string) => requestExamples(spec, operationId);

  it.each(examples("updateClient"))("updateClient: %s", async (_name, body) => {
    await ix.updateClient(42, body as never);
    expect(violations()).toBeNull();
  });
  it.each(examples("updatePurchaseOrder"))("updatePurchaseOrder: %s", async (_name, body) => {
    await ix.updatePurchaseOrder(7, body as never);
    expect(violations()).toBeNull();
  });
  it.each(examples("updateDocument").flatMap(([name, body]) => documentTypes.map((type) => [name, type, body] as const)))(
    "updateDocument: %s as %s",
    async (_name, type, body) => {
      await ix.updateDocument(type, 9, body as never);
      expect(violations()).toBeNull();
    },
  );
});

describe("the mock's refusals reach the caller as InvoiceXpressError", () => {
  it("a request without the key gets 401", async () => {
    const { ix } = mockClient({ withoutKey: true });
    const error = await refusal(ix.updateClient(42, vendorClient as never));
    expect(error).toBeInstanceOf(InvoiceXpressError);
    expect(error).toMatchObject({ status: 401, code: "unauthorized" });
  });

  it("Prefer: code=404 gives a 404 InvoiceXpressError", async () => {
    const { ix } = mockClient();
    const error = await refusal(ix.updateDocument("credit_notes", 9, vendorDocument as never, { headers: { Prefer: "code=404" } }));
    expect(error).toBeInstanceOf(InvoiceXpressError);
    expect(error).toMatchObject({ status: 404, code: "not_found", messages: ["Not found"] });
  });
});

describe("the mock's 422 names each broken rule of this request, in plain words", () => {
  const { updateDocument: invoice } = vendorBodies as { updateDocument: { invoice: Record<string, unknown> } };
  const client = { name: "Client Name", code: "A1" };
  // Each kind of violation: the request, and the field and the rule its answer must name.
  const cases = [
    ["a date", "/invoices/1.json", { invoice: { ...invoice.invoice, date: "31/02/2017" } },
      ["body /invoice/date: Expected a real calendar date written dd/mm/yyyy, such as 03/12/2017."]],
    ["a range", "/invoices/1.json", { invoice: { ...invoice.invoice, items: [{ name: "I", description: "D", unit_price: 1, quantity: 1, discount: 101 }] } },
      ["body /invoice/items/0/discount: Expected a percentage from 0 to 100, as a number or a numeric string."]],
    ["an enum", "/clients/42.json", { client: { ...client, language: "fr" } }, ["body /client/language: Expected one of en, pt or es."]],
    ["a required field", "/clients/42.json", { client: { name: "Client Name" } }, ["body /client/code: Required, and missing: client code, your specific code for the client."]],
    ["a closed object", "/clients/42.json", { client: { ...client, nmae: "typo" } }, ["body /client/nmae: Not a field the spec defines here; did you mean name?"]],
    ["a path parameter", "/receipts/1.json", invoice,
      ["path /document-type: Expected one of invoices, simplified_invoices, invoice_receipts, credit_notes or debit_notes."]],
    ["two at once", "/clients/0.json", { client: { ...client, country: "Atlantis" } },
      ["path /client-id: Expected a whole number from 1 to 9007199254740991, or a string of digits.", "body /client/country: Expected a country name as the service spells it, such as Portugal, UK or United States."]],
  ] as const;
  // What a person might read as a regular expression.
  const noPattern = /\^|\$"|\[0-9\]|\(\?:|\\d|pattern/;

  it.each(cases)("%s, from curl", async (_kind, path, body, messages) => {
    const response = await fetch(`${inject("mockUrl")}${path}?api_key=any`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(422);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ errors: messages.map((error) => ({ error })) });
    const header = response.headers.get("sl-violations")!;
    expect(JSON.parse(header).map((v: { message: string }) => v.message)).toEqual(messages);
    expect(text).not.toMatch(noPattern);
    expect(header).not.toMatch(noPattern);
  });

  it.each(cases)("%s, through the raw PUT with validate: false: the same messages", async (_kind, path, body, messages) => {
    const { ix } = mockClient({ validate: false });
    const [, type, id] = /^\/(\w+)\/(\d+)\.json$/.exec(path)!;
    const { error, response } =
      type === "clients"
        ? await ix.PUT("/clients/{client-id}.json", { params: { path: { "client-id": Number(id) } }, body: body as never })
        : await ix.PUT("/{document-type}/{document-id}.json", { params: { path: { "document-type": type as never, "document-id": Number(id) } }, body: body as never });
    expect(response.status).toBe(422);
    expect(error).toEqual({ errors: messages.map((message) => ({ error: message })) });
    const thrown = await refusal(
      type === "clients" ? ix.updateClient(Number(id), body as never) : ix.updateDocument(type as never, Number(id), body as never),
    );
    expect((thrown as InvoiceXpressError).messages).toEqual(messages);
  });

  it("the messages are the client's own: RequestValidationError says the same", async () => {
    const { ix } = mockClient();
    const [, , body, messages] = cases[0];
    const thrown = await refusal(ix.updateDocument("invoices", 1, body as never));
    expect(String((thrown as Error).message)).toContain(messages[0]);
  });

  it("Prefer: code=422 still gives the spec's example, and Prefer: example=… a named one", async () => {
    const send = (prefer: string) =>
      fetch(`${inject("mockUrl")}/invoices/1.json?api_key=any`, {
        method: "PUT",
        headers: { "content-type": "application/json", prefer },
        body: JSON.stringify(invoice),
      });
    const coded = await send("code=422");
    expect(coded.status).toBe(422);
    expect(await coded.json()).toEqual(spec.components.examples.MissingElementError!.value);
    const named = await send("code=422, example=notDraft");
    expect(await named.json()).toEqual(spec.components.examples.SettledDocumentError!.value);
  });

  const send = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${inject("mockUrl")}${path}`, { method: "PUT", headers: { "content-type": "application/json", ...headers }, body });

  it("a body that is not JSON gets the same 422", async () => {
    const answer = await send("/clients/1.json?api_key=any", '{"client":');
    expect(answer.status).toBe(422);
    expect(await answer.json()).toEqual({ errors: [{ error: "body: Not JSON." }] });
  });

  it("a refused body without the key gets 401, its violations in the same plain words", async () => {
    const answer = await send("/invoices/1.json", JSON.stringify({ invoice: { ...invoice.invoice, date: "31/02/2017" } }));
    expect(answer.status).toBe(401);
    const header = answer.headers.get("sl-violations")!;
    expect(header).toContain("body /invoice/date: Expected a real calendar date");
    expect(header).not.toMatch(noPattern);
  });

  it("hundreds of broken rules: every one in the body, and a head any client can read", async () => {
    const items = Array.from({ length: 200 }, () => ({ name: "", description: "D", unit_price: -1, quantity: 1 }));
    const { ix } = mockClient({ validate: false });
    const thrown = await refusal(ix.updateDocument("invoices", 1, { invoice: { ...invoice.invoice, items } } as never));
    expect((thrown as InvoiceXpressError).messages).toHaveLength(400);
    expect((thrown as InvoiceXpressError).messages[1]).toBe("body /invoice/items/0/unit_price: Expected a number of at least 0, as a number or a numeric string such as \"12.5\".");
  });

  it("a valid request still succeeds", async () => {
    const response = await fetch(`${inject("mockUrl")}/invoices/1.json?api_key=any`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(invoice),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("sl-violations")).toBeNull();
  });
});

describe("the reads: the mock answers each with the spec's examples, and the client takes them", () => {
  const { ix, violations } = mockClient();
  const examples = readExamples as { client: object; purchaseOrder: object; documents: Record<string, object> };

  it("getClient resolves with the example's client", async () => {
    await expect(ix.getClient(42)).resolves.toEqual(examples.client);
    expect(violations()).toBeNull();
  });

  it("getPurchaseOrder resolves with the example's purchase order", async () => {
    await expect(ix.getPurchaseOrder(7)).resolves.toEqual(examples.purchaseOrder);
    expect(violations()).toBeNull();
  });

  it.each(documentTypes)("getDocument(%s) resolves with a document of the examples", async (type) => {
    const document = await ix.getDocument(type, 1);
    expect(Object.values(examples.documents)).toContainEqual(document);
    expect(violations()).toBeNull();
  });

  it("Prefer picks the named example: an invoice receipt, under its own key", async () => {
    await expect(ix.getDocument("invoice_receipts", 1, { headers: { Prefer: "example=draftInvoiceReceipt" } })).resolves.toEqual(examples.documents.invoice_receipts);
  });

  it("Prefer: code=404 and a missing key reach the caller as InvoiceXpressError", async () => {
    await expect(ix.getClient(42, { headers: { Prefer: "code=404" } })).rejects.toMatchObject({ code: "not_found", method: "GET" });
    await expect(mockClient({ withoutKey: true }).ix.getDocument("invoices", 1)).rejects.toMatchObject({ code: "unauthorized", status: 401 });
  });

  it("a read the spec refuses gets the mock's 422 in the client's words", async () => {
    const response = await fetch(`${inject("mockUrl")}/receipts/1.json?api_key=any`);
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ errors: [{ error: "path /document-type: Expected one of invoices, simplified_invoices, invoice_receipts, credit_notes or debit_notes." }] });
  });
});

it("the mock's 429 says how long to wait, in seconds", async () => {
  const response = await fetch(`${inject("mockUrl")}/clients/42.json?api_key=any`, { headers: { Prefer: "code=429" } });
  expect(response.status).toBe(429);
  expect(response.headers.get("retry-after")).toBe("60");
});
