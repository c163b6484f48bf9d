// Contract tests: the package's own client against a real Prism mock of the spec.
import { describe, expect, it } from "vitest";
import { loadSpec, requestExamples } from "../scripts/spec.js";
import { InvoiceXpressError } from "../src/index.js";
import { mockClient } from "./support/mock-client.js";
import { documentTypes, vendorBodies } from "./support/vendor-bodies.js";

const spec = loadSpec();
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
  const refusal = (promise: Promise<unknown>) => promise.then(() => expect.fail("resolved"), (error: unknown) => error);

  it("a request without the key gets 401", async () => {
    const { ix } = mockClient({ withoutKey: true });
    const error = await refusal(ix.updateClient(42, vendorClient as never));
    expect(error).toBeInstanceOf(InvoiceXpressError);
    expect(error).toMatchObject({ status: 401, code: "unauthorized" });
  });

  it("an invalid body gets 422 with Prism's violation messages", async () => {
    const { ix } = mockClient({ validate: false });
    const error = await refusal(ix.updateClient(42, { client: { name: "Acme", language: "fr" } } as never));
    expect(error).toMatchObject({ status: 422, code: "unprocessable" });
    expect((error as InvoiceXpressError).messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/client must have required property 'code'/),
        expect.stringMatching(/client\.language must be equal to one of the allowed values/),
      ]),
    );
  });

  it("an invalid path parameter gets 422 with Prism's violation message", async () => {
    const { ix } = mockClient({ validate: false });
    const error = await refusal(ix.updateDocument("invoices", 0, vendorDocument as never));
    expect(error).toMatchObject({ status: 422, code: "unprocessable" });
    expect((error as InvoiceXpressError).messages).toEqual([expect.stringMatching(/document-id must be >= 1/)]);
  });

  it("an unknown country gets 422 naming the allowed countries, and the mock keeps serving", async () => {
    const { ix } = mockClient({ validate: false });
    const body = { client: { name: "Acme", code: "A1", country: "Atlantis" } };
    const error = await refusal(ix.updateClient(42, body as never));
    expect(error).toMatchObject({ status: 422 });
    expect((error as InvoiceXpressError).messages[0]).toContain("Côte d’Ivoire");
    await expect(ix.updateClient(42, vendorClient as never)).resolves.toBeUndefined();
  });

  it("Prefer: code=404 gives a 404 InvoiceXpressError", async () => {
    const { ix } = mockClient();
    const error = await refusal(ix.updateDocument("credit_notes", 9, vendorDocument as never, { headers: { Prefer: "code=404" } }));
    expect(error).toBeInstanceOf(InvoiceXpressError);
    expect(error).toMatchObject({ status: 404, code: "not_found", messages: ["Not found"] });
  });
});
