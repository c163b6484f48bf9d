// Every documented constraint of the three tables, as a field, values it
// accepts and values it refuses. The spec's tests check them with Ajv; the
// client's tests check them with the client's own validation.

// A body with one change: `path` is dot-separated; `undefined` deletes the field.
export function withChange(body: unknown, path: string, value: unknown): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  const keys = path.split(".");
  const last = keys.pop()!;
  const parent = keys.reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, copy);
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy;
}

import type { Operation } from "./vendor-bodies.js";

type Case = [field: string, accepted: unknown[], refused: unknown[]];
export const constraints: Record<Operation, Case[]> = {
  updateClient: [
    ["client", [{ name: "A", code: "1" }], [undefined, "Acme", []]],
    ["client.name", ["Acme"], [undefined, "", 42]],
    ["client.code", ["A1"], [undefined, "", 12345]],
    // An email address is one, or "" for none; null is refused (an edit sends a read's null as "").
    ["client.email", [undefined, "foo@bar.com", "FOO@Bar.com", ""], ["foo", "foo@", "foo bar@baz.com", " ", null, 5]],
    ["client.language", ["en", "pt", "es"], ["fr", "PT", ""]],
    ["client.country", ["Portugal", "UK", "United States", "Côte d’Ivoire"], ["England", "portugal", "PT"]],
    ["client.send_options", [1, 2, 3, "1", "3"], [0, 4, "4", "one", 1.5]],
    ["client.preferred_contact", [{}, { name: "Bruce" }], [{ nickname: "Bruce" }, "Bruce"]],
    ["client.preferred_contact.email", [undefined, "email@invoicexpress.com", ""], ["not an email", null]],
    ["client.nickname", [undefined], ["misspelt fields are refused"]],
  ],
  updatePurchaseOrder: [
    ["purchase_order.date", ["31/12/2017", "29/02/2024", "01/01/2000"], [undefined, "2017-12-03", "3/12/2017", "31/02/2017", "29/02/2023", "32/01/2017", "03/13/2017", ""]],
    ["purchase_order.due_date", ["30/04/2018"], [undefined, "31/04/2018", "03-12-2017"]],
    ["purchase_order.loaded_at", ["29/02/2000"], [undefined, "29/02/1900", "today"]],
    ["purchase_order.client", [{ name: "Supplier" }], [undefined, {}, { code: "A1" }]],
    ["purchase_order.client.name", ["Supplier"], [""]],
    ["purchase_order.client.email", [undefined, "foo@bar.com", ""], ["foo.bar.com", null]],
    ["purchase_order.client.country", ["Portugal"], ["Atlantis"]],
    ["purchase_order.items", [[{ name: "A", description: "B", unit_price: 1, quantity: 1 }]], [undefined, [], {}, "items"]],
    ["purchase_order.items.0.name", ["Item"], [undefined, ""]],
    ["purchase_order.items.0.description", ["Described"], [undefined, 42]],
    ["purchase_order.items.0.unit_price", [0, 0.01, 100, "100", "12.5", "0", "0.5"], [undefined, -0.01, "-1", "abc", "1e3", "", "12.", "005", "00.5"]],
    ["purchase_order.items.0.quantity", [0, 5, "5", "0.5"], [undefined, -1, "-5", "five"]],
    ["purchase_order.items.0.discount", [undefined, 0, 50, 100, "0", "50", "100", "99.5", "100.00", "0.5"], [-1, 100.01, "101", "100.5", "-1", "fifty", "005", "050"]],
    ["purchase_order.items.0.tax", [undefined, {}, { name: "IVA23" }], [{ rate: 23 }, "IVA23"]],
    ["purchase_order.tax_exemption_reason", [undefined, "M00", "M01", "M99"], ["M03", "m00", ""]],
  ],
  updateDocument: [
    ["invoice.date", ["03/12/2017"], [undefined, "2017/12/03"]],
    ["invoice.due_date", ["03/12/2017"], [undefined, "03/12/17"]],
    ["invoice.retention", [undefined, 0, 99.99, "0", "15", "99.99", "99.990", "98.999", "0.5", "5"], [-1, 100, 99.991, "100", "99.991", "-1", "abc", "099.99", "05"]],
    ["invoice.tax_exemption", [undefined, null, "M00", "M01", "M16", "M46", "M99"], ["M03", "M17", "m01", "Isento artigo 9.º do CIVA"]],
    ["invoice.sequence_id", [undefined, 12345, "12345"], [0, "0", "abc", -3, 1.5]],
    ["invoice.manual_sequence_number", [undefined, null, "1", "A-7"], [1]],
    ["invoice.owner_invoice_id", [undefined, 12345, "12345"], [0, "0", "012", "12a", 1.5]],
    ["invoice.client", [{ name: "Client", code: "A1" }], [undefined, { name: "Client" }, { code: "A1" }]],
    ["invoice.client.code", ["A1"], [""]],
    ["invoice.client.email", [undefined, "foo@bar.com", ""], ["@bar.com", null]],
    ["invoice.client.country", ["Portugal"], ["Portugall"]],
    ["invoice.items", [[{ name: "A", description: "B", unit_price: "1", quantity: "1" }]], [[], undefined, "not an array"]],
    ["invoice.items.0.unit_price", ["100", 100], ["cem", -100]],
    ["invoice.items.0.discount", ["50"], ["150"]],
    ["invoice.tax_exemption_reason", ["M00", "M01"], ["M03"]],
    ["invoice.currency_code", [undefined, "EUR", "USD", "GBP", "BRL", "AOA"], ["eur", "EURO", "EU", "E1R", ""]],
    ["invoice.rate", [undefined, "1.23565", 1.2], ["one", "-1", -1]],
    ["invoice.mb_reference", [undefined, null, "", "0", "1", 0, 1, true, false], ["2", 2, "yes", {}]],
    ["invoice.global_discount", [undefined, null, { value_type: "percentage", value: 10 }, { value_type: "percentage", value: "100" }, { value_type: "absolute", value: "5.5" }, { value_type: "absolute", value: 150 }], [{ value_type: "percent", value: 10 }, { value: 10 }, { value_type: "absolute", value: -1 }, { value_type: "percentage", value: 150 }, { value_type: "percentage", value: "100.5" }, 10]],
    ["invoice.items.0.tax_name", [undefined], ["IVA23"]],
    ["invoice.discont", [undefined], [10]],
  ],
};

