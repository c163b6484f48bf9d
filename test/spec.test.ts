// The spec itself: its examples, and every documented constraint with a case
// it accepts and a case it refuses.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fullFormats } from "ajv-formats/dist/formats.js";
import { createSpecAjv, loadSpec, operationsOf, refName, requestBodyRef, requestExamples, schemaRef } from "../scripts/spec.js";
import { constraints, withChange } from "./support/constraint-cases.js";
import { vendorBodies } from "./support/vendor-bodies.js";

const spec = loadSpec();
const ajv = createSpecAjv(spec);
// The updates: the operations with a request body.
const operations = operationsOf(spec).map(({ operation }) => operation).filter((operation) => operation.requestBody);
const bodyValidator = (id: string) => ajv.getSchema(schemaRef(requestBodyRef(spec, id)))!;
const componentValidator = (name: string) => ajv.getSchema(schemaRef(`#/components/schemas/${name}`))!;


describe("the source pages' example bodies", () => {
  it.each(Object.entries(vendorBodies))("%s: the page's example validates", (id, body) => {
    const validate = bodyValidator(id);
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ["updateClient", "ClientUpdateVendorExample"],
    ["updatePurchaseOrder", "PurchaseOrderUpdateVendorExample"],
    ["updateDocument", "DocumentUpdateVendorExample"],
  ] as const)("%s: the spec's named example %s is the page's example, verbatim", (id, example) => {
    expect(spec.components.examples[example]!.value).toStrictEqual(vendorBodies[id]);
  });
});

describe("every named example validates against its operation", () => {
  const cases = operations.flatMap((op) =>
    requestExamples(spec, op.operationId).map(([name, value]) => [op.operationId, name, value] as const),
  );
  it.each(cases)("%s: %s", (id, _name, value) => {
    const validate = bodyValidator(id);
    expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
  });
});

// Every field of the three tables on the source pages, as a path in the body.
const documentedFields: Record<string, string[]> = {
  updateClient: [
    "client", "client.name", "client.code", "client.email", "client.language", "client.address", "client.city",
    "client.postal_code", "client.country", "client.fiscal_id", "client.website", "client.phone", "client.fax",
    "client.preferred_contact", "client.preferred_contact.name", "client.preferred_contact.email",
    "client.preferred_contact.phone", "client.observations", "client.send_options",
  ],
  updatePurchaseOrder: [
    "purchase_order", "purchase_order.date", "purchase_order.due_date", "purchase_order.loaded_at",
    "purchase_order.delivery_site", "purchase_order.observations", "purchase_order.client",
    ...["name", "code", "email", "address", "city", "postal_code", "country", "fiscal_id", "website", "phone", "fax",
      "observations"].map((f) => `purchase_order.client.${f}`),
    "purchase_order.items",
    ...["name", "description", "unit_price", "quantity", "unit", "discount", "tax", "tax.name"].map(
      (f) => `purchase_order.items.${f}`,
    ),
    "purchase_order.tax_exemption_reason",
  ],
  updateDocument: [
    "invoice",
    ...["date", "due_date", "reference", "observations", "retention", "tax_exemption", "sequence_id",
      "manual_sequence_number", "client", "items", "mb_reference", "owner_invoice_id", "tax_exemption_reason",
      "currency_code", "rate"].map((f) => `invoice.${f}`),
    ...["name", "code", "email", "address", "city", "postal_code", "country", "fiscal_id", "website", "phone", "fax",
      "observations"].map((f) => `invoice.client.${f}`),
    ...["name", "description", "unit_price", "quantity", "unit", "discount", "tax", "tax.name"].map(
      (f) => `invoice.items.${f}`,
    ),
  ],
};

type SchemaNode = { $ref?: string; anyOf?: SchemaNode[]; properties?: Record<string, SchemaNode>; items?: SchemaNode; description?: string };
// A reference, also where null is allowed beside it (anyOf: [$ref, null]).
const resolve = (node: SchemaNode): SchemaNode => {
  const ref = node.$ref ?? node.anyOf?.find((branch) => branch.$ref)?.$ref;
  return ref ? resolve(spec.components.schemas[refName(ref)] as SchemaNode) : node;
};

describe("every field of the source tables is in the spec, described", () => {
  it.each(Object.entries(documentedFields).flatMap(([id, fields]) => fields.map((f) => [id, f] as const)))(
    "%s: %s",
    (id, field) => {
      let node: SchemaNode = { $ref: requestBodyRef(spec, id) };
      let property: SchemaNode | undefined;
      for (const name of field.split(".")) {
        node = resolve(node);
        if (node.items) node = resolve(node.items);
        property = node.properties?.[name];
        expect(property, `${field} is missing`).toBeDefined();
        node = property!;
      }
      expect(property!.description ?? resolve(property!).description).toMatch(/\w/);
    },
  );
});

describe("every documented constraint accepts a valid case and refuses an invalid one", () => {
  const baseBodies = vendorBodies as Record<string, unknown>;
  for (const [id, cases] of Object.entries(constraints)) {
    describe(id, () => {
      const validate = bodyValidator(id);
      it.each(cases.flatMap(([field, accepted]) => accepted.map((v) => [field, JSON.stringify(v) ?? "(absent)", v] as const)))(
        "%s accepts %s",
        (field, _shown, value) => {
          expect(validate(withChange(baseBodies[id], field, value)), JSON.stringify(validate.errors)).toBe(true);
        },
      );
      it.each(cases.flatMap(([field, , refused]) => refused.map((v) => [field, JSON.stringify(v) ?? "(absent)", v] as const)))(
        "%s refuses %s",
        (field, _shown, value) => {
          expect(validate(withChange(baseBodies[id], field, value))).toBe(false);
        },
      );
    });
  }

  it("every case starts from a body that is valid as it is", () => {
    for (const [id, body] of Object.entries(baseBodies)) expect(bodyValidator(id)(body)).toBe(true);
  });
});

describe("path parameters", () => {
  const documentType = componentValidator("DocumentType");
  it.each(["invoices", "simplified_invoices", "invoice_receipts", "credit_notes", "debit_notes"])(
    "document-type accepts %s",
    (type) => expect(documentType(type)).toBe(true),
  );
  it.each(["invoice", "purchase_orders", "clients", "receipts", ""])("document-type refuses %s", (type) =>
    expect(documentType(type)).toBe(false),
  );
  it.each(["ClientId", "DocumentId"])("%s is a safe integer of at least 1, or a string of digits", (name) => {
    const validate = ajv.compile({ $ref: schemaRef(`#/components/parameters/${name}/schema`) });
    const ids = [1, 42, Number.MAX_SAFE_INTEGER, "1", "42", "9007199254740993", 0, -1, 1.5, 2 ** 53, 1e21, Number.MAX_VALUE, "0", "042", "4 2", "", "1e3"];
    expect(ids.map((id) => validate(id))).toEqual([true, true, true, true, true, true, false, false, false, false, false, false, false, false, false, false, false]);
  });
});

describe("CalendarDate accepts exactly the real calendar dates", () => {
  it("every dd/mm/yyyy string of 1896 to 2104 is accepted exactly when the day exists", () => {
    const validate = componentValidator("CalendarDate");
    const pad = (n: number, width: number) => String(n).padStart(width, "0");
    const disagreements: string[] = [];
    for (let year = 1896; year <= 2104; year++) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const text = `${pad(day, 2)}/${pad(month, 2)}/${pad(year, 4)}`;
          const date = new Date(Date.UTC(2000, 0, 1));
          date.setUTCFullYear(year, month - 1, day);
          const exists = month >= 1 && month <= 12 && date.getUTCDate() === day && date.getUTCMonth() === month - 1;
          if (validate(text) !== exists) disagreements.push(text);
        }
      }
    }
    expect(disagreements).toEqual([]);
  });
});

// An email field is a string with a pattern (openapi-zod-client checks no
// format or pattern inside a union): it must take what the email format of
// Prism's ajv-formats takes, and "" for no address, and nothing else.
describe("Email is ajv-formats' email address, or empty", () => {
  const emailFormat = fullFormats.email as RegExp;
  const expected = (text: string) => text === "" || emailFormat.test(text);
  // Mostly the characters each part of an address is made of, sometimes one it may not hold.
  const odd = [..."@. \"()[],;:_!", "é", "ſ", "\u212A", "\n"];
  const mostly = (usual: string) => fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...usual) }, { weight: 1, arbitrary: fc.constantFrom(...odd) });
  const local = fc.string({ unit: mostly("aZz09.!#$%&'*+/=?^_`{|}~-"), maxLength: 6 });
  const label = fc.string({ unit: mostly("aZz09-_"), maxLength: 5 });
  it.each([
    "", "foo@bar.com", "FOO@BAR.COM", "a@b", "a..b@c.d", ".a@b.c", "a@b.c\n", "\na@b.c", " ", "ſ@b.c", "\u212A@b.c", "a@[1.2.3.4]", "a@1.2.3.4", "a/b{c}@d.e",
  ])("%j", (text) => {
    expect(componentValidator("Email")(text)).toBe(expected(text));
  });

  it("any text of email characters", () => {
    const validate = componentValidator("Email");
    const text = fc.oneof(
      fc.string({ unit: mostly("aZz09.@-"), maxLength: 12 }),
      fc.tuple(local, label, label).map(([a, b, c]) => `${a}@${b}.${c}`),
      fc.tuple(local, label, label, label).map(([a, b, c, d]) => `${a}@${b}.${c}.${d}`),
    );
    fc.assert(
      fc.property(text, (value) => {
        expect(validate(value), JSON.stringify(value)).toBe(expected(value));
      }),
      { numRuns: 3000 },
    );
  });

  it("refuses what is not a string, null included", () => {
    for (const value of [null, 5, true, {}, ["a@b.c"]]) expect(componentValidator("Email")(value)).toBe(false);
  });
});

// The numeric-string patterns must agree with the numeric ranges they stand for.
describe("numeric strings mean what their numbers mean", () => {
  const decimal = fc
    .tuple(fc.nat({ max: 1000 }), fc.option(fc.stringMatching(/^[0-9]{1,4}$/), { nil: undefined }))
    .map(([whole, fraction]) => (fraction === undefined ? `${whole}` : `${whole}.${fraction}`));
  it.each([
    ["NonNegativeNumber", (n: number) => n >= 0],
    ["Percentage", (n: number) => n >= 0 && n <= 100],
    ["Retention", (n: number) => n >= 0 && n <= 99.99],
  ] as const)("%s: a decimal string is accepted exactly when its number is", (name, inRange) => {
    const validate = componentValidator(name);
    fc.assert(
      fc.property(fc.oneof(decimal, decimal.filter((s) => Number(s) > 0).map((s) => `-${s}`)), (text) => {
        expect(validate(text)).toBe(inRange(Number(text)));
        expect(validate(Number(text))).toBe(inRange(Number(text)));
      }),
      { numRuns: 2000 },
    );
  });

  it.each(["NonNegativeNumber", "Percentage", "Retention"])("%s: one rule for leading zeros, none before a digit", (name) => {
    const validate = componentValidator(name);
    fc.assert(
      fc.property(decimal.filter((s) => /^[1-9]/.test(s) || s.startsWith("0.")), (text) => {
        expect(validate(`0${text}`)).toBe(false);
      }),
      { numRuns: 500 },
    );
    expect(validate("0.5")).toBe(true);
  });
});
