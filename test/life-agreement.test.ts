// The client's checks of the life's request bodies (creates, state changes,
// emails) agree with Ajv compiled from the spec and with a real Prism, on
// bodies built valid and then mutated.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { requests } from "../generated/request-schemas.js";
import { createSpecAjv, loadSpec, requestBodyRef, schemaRef } from "../scripts/spec.js";
import { requestIssues } from "../src/validation.js";
import { mutated, validValue } from "./support/arbitraries.js";
import { mockClient } from "./support/mock-client.js";

const operations = [
  ["createClient", "POST", "/clients.json", {}],
  ["createPurchaseOrder", "POST", "/purchase_orders.json", {}],
  ["createDocument", "POST", "/{document-type}.json", { "document-type": "invoice_receipts" }],
  ["changeDocumentState", "PUT", "/{document-type}/{document-id}/change-state.json", { "document-type": "credit_notes", "document-id": 7 }],
  ["emailDocument", "PUT", "/{document-type}/{document-id}/email-document.json", { "document-type": "invoices", "document-id": 7 }],
] as const;
const bodies = (method: string, template: string) => {
  const valid = validValue(requests[`${method} ${template}`]!.body!);
  return fc.oneof(valid, valid.chain(mutated));
};

describe("the client agrees with Ajv compiled from the spec", () => {
  const spec = loadSpec();
  const ajv = createSpecAjv(spec);
  it.each(operations)("%s: on 3,000 bodies", (operationId, method, template, path) => {
    const ajvValidate = ajv.getSchema(schemaRef(requestBodyRef(spec, operationId)))!;
    fc.assert(
      fc.property(bodies(method, template), (body) => {
        expect(requestIssues(method, template, path, body).length === 0).toBe(ajvValidate(body));
      }),
      { numRuns: 3000 },
    );
  });
});

describe("the client agrees with Prism", () => {
  const { ix, violations } = mockClient({ validate: false });
  const fill = (template: string, params: Record<string, unknown>) => template.replace(/\{([^}]+)\}/g, (_, name: string) => String(params[name]));
  it.each(operations)("%s: on 150 bodies, valid and mutated", { timeout: 120_000 }, async (_operationId, method, template, path) => {
    await fc.assert(
      fc.asyncProperty(bodies(method, template), async (body) => {
        const clientSays = requestIssues(method, template, path, body).length === 0;
        const { response } = await ix.request(method as never, template as never, { params: { path }, body, parseAs: "text" } as never);
        expect([200, 201, 422], `${fill(template, path)}: Prism answered ${response.status}`).toContain(response.status);
        expect(clientSays, `Prism answered ${response.status} (${violations()})`).toBe(response.status < 300);
      }),
      { numRuns: 150 },
    );
  });
});
