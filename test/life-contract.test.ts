// Contract tests of the life of a document (creates, the find by code, state
// changes, emails): the package's own client against a real Prism mock of the spec.
import { describe, expect, inject, it } from "vitest";
import { loadSpec, requestExamples } from "../scripts/spec.js";
import { RequestValidationError } from "../src/index.js";
import { mockClient } from "./support/mock-client.js";
import { documentTypes } from "./support/vendor-bodies.js";

const spec = loadSpec();
const examples = (operationId: string) => requestExamples(spec, operationId);
const response = (name: string) => (spec.components.examples[name]!.value as Record<string, object>);

describe("every request example of the life's operations passes Prism's validation, and the helper resolves with the answer", () => {
  const { ix, violations } = mockClient();

  it.each(examples("createClient"))("createClient: %s", async (_name, body) => {
    await expect(ix.createClient(body as never)).resolves.toEqual(response("ClientCreatedExample").client);
    expect(violations()).toBeNull();
  });
  it.each(examples("createPurchaseOrder"))("createPurchaseOrder: %s", async (_name, body) => {
    await expect(ix.createPurchaseOrder(body as never)).resolves.toEqual(response("PurchaseOrderReadExample").purchase_order);
    expect(violations()).toBeNull();
  });
  it.each(examples("createDocument").flatMap(([name, body]) => documentTypes.map((type) => [name, type, body] as const)))(
    "createDocument: %s as %s",
    async (_name, type, body) => {
      const created = await ix.createDocument(type, body as never);
      expect([response("InvoiceReceiptReadExample").invoice_receipt, response("InvoiceReadExample").invoice]).toContainEqual(created);
      expect(violations()).toBeNull();
    },
  );
  it.each(examples("changeDocumentState").flatMap(([name, body]) => documentTypes.map((type) => [name, type, body] as const)))(
    "changeDocumentState: %s as %s",
    async (_name, type, body) => {
      await expect(ix.changeDocumentState(type, 9, (body as { invoice: never }).invoice)).resolves.toEqual(response("FinalisedInvoiceExample").invoice);
      expect(violations()).toBeNull();
    },
  );
  it.each(examples("emailDocument").flatMap(([name, body]) => documentTypes.map((type) => [name, type, body] as const)))(
    "emailDocument: %s as %s",
    async (_name, type, body) => {
      await expect(ix.emailDocument(type, 9, (body as { message: never }).message)).resolves.toBeUndefined();
      expect(violations()).toBeNull();
    },
  );

  it("findClientByCode resolves with the client; a code no client has (404) with undefined", async () => {
    await expect(ix.findClientByCode("12345")).resolves.toEqual(response("ClientReadExample").client);
    expect(violations()).toBeNull();
    await expect(ix.findClientByCode("nobody", { headers: { Prefer: "code=404" } })).resolves.toBeUndefined();
  });

  it("the code travels as client_code, escaped, before the key", async () => {
    const urls: string[] = [];
    const { ix: watched } = mockClient();
    watched.use({ onRequest: ({ request }) => void urls.push(request.url) });
    await watched.findClientByCode("A&B 1");
    expect(urls[0]).toMatch(/\/clients\/find-by-code\.json\?client_code=A%26B%201&api_key=mock-test-key$/);
  });
});

describe("the refusals: the client's and the mock's, in the same words", () => {
  const { ix } = mockClient();
  const { ix: unchecked } = mockClient({ validate: false });
  const refused = [
    ["a cancellation without its reason", () => ix.changeDocumentState("invoices", 1, { state: "canceled" } as never), () => unchecked.changeDocumentState("invoices", 1, { state: "canceled" } as never)],
    ["a state the five types do not have", () => ix.changeDocumentState("invoices", 1, { state: "accepted" } as never), () => unchecked.changeDocumentState("invoices", 1, { state: "accepted" } as never)],
    ["an email without an address", () => ix.emailDocument("invoices", 1, { client: { save: "1" } } as never), () => unchecked.emailDocument("invoices", 1, { client: { save: "1" } } as never)],
    ["a create under another root", () => ix.createDocument("invoice_receipts", { invoice_receipt: {} } as never), () => unchecked.createDocument("invoice_receipts", { invoice_receipt: {} } as never)],
    ["a client create without a code", () => ix.createClient({ client: { name: "A" } } as never), () => unchecked.createClient({ client: { name: "A" } } as never)],
    ["an empty code to find", () => ix.findClientByCode(""), () => unchecked.findClientByCode("")],
  ] as const;

  it.each(refused)("%s", async (_name, checked, sent) => {
    const error = await checked().then(() => expect.fail("resolved"), (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(RequestValidationError);
    const mock = await sent().then(() => expect.fail("resolved"), (thrown: { status?: number; messages?: string[] }) => thrown);
    expect(mock.status).toBe(422);
    const words = (error as RequestValidationError).issues.map((issue) => `${issue.in} ${issue.path}: ${issue.message}`);
    expect(mock.messages).toEqual(words);
  });

  it("a cancellation without its reason names the field it lacks, and what it is for", async () => {
    const error = await ix.changeDocumentState("invoices", 1, { state: "canceled" } as never).catch((thrown: unknown) => thrown);
    expect((error as RequestValidationError).issues).toEqual([
      { in: "body", path: "/invoice/message", message: "Required, and missing: why the document is canceled; the service requires one." },
    ]);
  });

  it("an empty code to find is refused where it goes, in the query", async () => {
    const error = await ix.findClientByCode("").catch((thrown: unknown) => thrown);
    expect((error as RequestValidationError).issues).toEqual([{ in: "query", path: "/client_code", message: "Expected at least 1 character(s)." }]);
  });

  it("only the query parameters an operation declares go out: none beside the key for a read", async () => {
    const urls: string[] = [];
    const { ix: watched } = mockClient();
    watched.use({ onRequest: ({ request }) => void urls.push(request.url) });
    await watched.GET("/clients/{client-id}.json", { params: { path: { "client-id": 42 }, query: { client_code: "x", "client[language]": "fr" } as never } });
    await watched.GET("/clients/find-by-code.json", { params: { query: { client_code: "A1", api_key: "other" } as never } });
    expect(urls.map((url) => url.split("?")[1])).toEqual(["api_key=mock-test-key", "client_code=A1&api_key=mock-test-key"]);
  });

  it("Prefer: code=409 gives the creation under way, as the service words it", async () => {
    const body = examples("createDocument")[0]![1];
    await expect(ix.createDocument("invoices", body as never, { headers: { Prefer: "code=409" } })).rejects.toMatchObject({
      status: 409,
      messages: [expect.stringMatching(/^There's an ongoing document creation with the provided UID/)],
    });
  });

  it("a find without its code is refused, saying what the parameter is for: by the client, and by the mock in the same words", async () => {
    const error = await ix.GET("/clients/find-by-code.json", {} as never).catch((thrown: unknown) => thrown);
    expect((error as RequestValidationError).issues).toEqual([{ in: "query", path: "/client_code", message: "Required, and missing: the code of the client to find." }]);
    const missing = await fetch(`${inject("mockUrl")}/clients/find-by-code.json?api_key=any`);
    expect(missing.status).toBe(422);
    expect(await missing.json()).toEqual({ errors: [{ error: "query /client_code: Required, and missing: the code of the client to find." }] });
    // The mock is still there.
    await expect(ix.findClientByCode("12345")).resolves.toMatchObject({ code: "12345" });
  });

  it("a path parameter left out is refused the same way, not sent as \"undefined\"", async () => {
    const error = await ix.request("get" as never, "/clients/{client-id}.json" as never, { params: { path: {} } } as never).catch((thrown: unknown) => thrown);
    expect((error as RequestValidationError).issues).toEqual([{ in: "path", path: "/client-id", message: "Required, and missing: the ID of the client, as a number or a string of digits." }]);
  });

  it("a create of a type that is not one of the five gets the mock's 422", async () => {
    const answer = await fetch(`${inject("mockUrl")}/receipts.json?api_key=any`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(answer.status).toBe(422);
  });
});
