// The example bodies of the vendor's three reference pages, verbatim, by
// operation; and what else the tests need to call each operation.
import { schemas } from "../../generated/request-schemas.js";
import type { operations } from "../../generated/schema.js";
import type { DocumentType } from "../../src/index.js";
import updateClient from "../fixtures/vendor-client-body.json" with { type: "json" };
import updateDocument from "../fixtures/vendor-document-body.json" with { type: "json" };
import updatePurchaseOrder from "../fixtures/vendor-purchase-order-body.json" with { type: "json" };

/** The updates: each has a body. */
export type Operation = Extract<keyof operations, `update${string}`>;

export const vendorBodies: Record<Operation, unknown> = {
  updateClient,
  updatePurchaseOrder,
  updateDocument,
};

/** Each operation's path template and a valid set of its path parameters. */
export const operationPaths = {
  updateClient: ["/clients/{client-id}.json", { "client-id": 42 }],
  updatePurchaseOrder: ["/purchase_orders/{document-id}.json", { "document-id": 7 }],
  updateDocument: ["/{document-type}/{document-id}.json", { "document-type": "invoices", "document-id": 1 }],
} as const satisfies Record<Operation, unknown>;

/** The document types `updateDocument` takes, as the spec lists them. */
export const documentTypes = schemas.DocumentType!.enum as DocumentType[];
