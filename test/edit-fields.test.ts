// The fields an update takes that its read does not return, worked out from
// the spec itself (each operation's update body against its read's answer):
// the docs and the edits' JSDoc must name exactly those, so neither can
// drift from the spec (a no-op edit drops every one of them).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

type Schema = { $ref?: string; anyOf?: Schema[]; properties?: Record<string, Schema & { readOnly?: boolean }>; content?: Record<string, { schema: Schema }> };
const spec = parse(readFileSync(new URL("../openapi/invoicexpress.yaml", import.meta.url), "utf8"));
const resolved = (schema: Schema): Schema => {
  const followed = schema.$ref ? resolved(schema.$ref.slice(2).split("/").reduce((node, key) => node[key], spec)) : schema;
  return followed.anyOf ? resolved(followed.anyOf.find((branch) => resolved(branch).properties)!) : followed;
};
/** The resource under a body's first root key: the update's `invoice`, the read's first. */
const resource = (body: Schema) => resolved(Object.values(resolved(body).properties!)[0]!);

function notRead(path: string) {
  const { get, put } = spec.paths[path];
  const update = resource(put.requestBody.content["application/json"].schema);
  const read = resource(resolved(get.responses["200"]).content!["application/json"]!.schema);
  const settable = Object.entries(update.properties!).filter(([, field]) => !field.readOnly).map(([name]) => name);
  return settable.filter((name) => !(name in read.properties!)).sort();
}

/** The names in backticks between `from` and `to` in `text`, which must hold both. */
function named(text: string, from: string, to: string) {
  const start = text.indexOf(from);
  const end = text.indexOf(to, start);
  expect(start, `"${from}" in the text`).toBeGreaterThanOrEqual(0);
  expect(end, `"${to}" after it`).toBeGreaterThan(start);
  return [...text.slice(start, end).matchAll(/`(\w+)`/g)].map(([, name]) => name).sort();
}

const clientDocs = readFileSync(new URL("../docs/client.md", import.meta.url), "utf8");
const helpers = readFileSync(new URL("../src/client.ts", import.meta.url), "utf8");

describe("the fields an update takes that the read does not return", () => {
  const documents = notRead("/{document-type}/{document-id}.json");
  const purchaseOrders = notRead("/purchase_orders/{document-id}.json");

  it("the spec says which: global_discount is one of a document's", () => {
    expect(documents).toContain("global_discount");
    expect(notRead("/clients/{client-id}.json")).toEqual([]);
  });

  it("docs/client.md names each of them, and no other", () => {
    expect(named(clientDocs, "A document's read has no", "(`DocumentFieldsNotRead`")).toEqual(documents);
    expect(named(clientDocs, "a purchase\n  order's has no", "(`PurchaseOrderFieldsNotRead`")).toEqual(purchaseOrders);
  });

  it("so do editDocument's and editPurchaseOrder's JSDoc", () => {
    const editDocument = helpers.slice(0, helpers.indexOf("  editDocument("));
    expect(named(editDocument.slice(editDocument.lastIndexOf("/**")), "The read does not return", "(`DocumentFieldsNotRead`)")).toEqual(documents);
    const editPurchaseOrder = helpers.slice(0, helpers.indexOf("  editPurchaseOrder("));
    expect(named(editPurchaseOrder.slice(editPurchaseOrder.lastIndexOf("/**")), "does not return", "(`PurchaseOrderFieldsNotRead`)")).toEqual(purchaseOrders);
  });
});
