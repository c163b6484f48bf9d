// Turns what a read answers into the update that leaves the resource as it
// is: every field the read returns that the update takes, in the update's
// form; the fields the service computes itself (totals, IDs, states) left
// out; and, once an edit has had its say, what the read could not tell and
// the body still does not say.
import { schemas, type RuleSchema } from "../generated/request-schemas.js";
import type {
  ClientRead,
  ClientUpdateBody,
  DocumentRead,
  DocumentUpdateBody,
  InvoicingDocument,
  ItemRead,
  PurchaseOrder,
  PurchaseOrderRead,
  PurchaseOrderUpdateBody,
} from "../generated/schema.js";
import type { ValidationIssue } from "./validation.js";

/**
 * The fields a document update takes that its read does not return, from
 * the spec: an update replaces a document's fields, so a no-op edit drops
 * whichever of these the document had. Set those it needs in `edit`.
 */
export type DocumentFieldsNotRead = Exclude<keyof InvoicingDocument, keyof DocumentRead>;
/** The fields a purchase order update takes that its read does not return, from the spec. */
export type PurchaseOrderFieldsNotRead = Exclude<keyof PurchaseOrder, keyof PurchaseOrderRead>;

/** What some reads hold beside the spec's fields. */
interface ReadExtras {
  /** A number in some reads (`0.0`), where the update takes `{value_type, value}`. */
  global_discount?: unknown;
}

/**
 * The update that keeps a document as the read found it, as far as the
 * read says: what it cannot say (an unnamed tax, say) `editDocument`
 * refuses to send, and a body built here alone is yours to complete.
 */
export function documentUpdateFrom(read: DocumentRead): DocumentUpdateBody {
  const { mb_reference: reference, client, sequence_id, multicurrency, global_discount, ...rest } = read as DocumentRead & ReadExtras;
  return traced(read.items, {
    invoice: kept(schemas.InvoicingDocument!, {
      ...rest,
      // A read answers the Multibanco reference itself where the update takes a
      // flag: a document with a reference had the flag on; an object with none
      // says nothing, and is left out. Some reads answer the flag as "true".
      mb_reference: typeof reference === "object" && reference ? (reference.reference ? "1" : undefined) : reference === "true" ? "1" : reference === "false" ? "0" : reference,
      // The service ignores an existing client's other fields: its name and code say which it is.
      client: client && { name: client.name, code: client.code },
      items: described(read.items),
      // 0 names no sequence: the update then uses the default one, as it would for a draft without one.
      sequence_id: String(sequence_id) === "0" ? undefined : sequence_id,
      ...(multicurrency?.currency ? { currency_code: multicurrency.currency, rate: multicurrency.rate } : {}),
      // No discount is no discount, a percentage or an amount alike, unless the read's
      // amounts show one; any other number is told apart by `gapsOf`.
      global_discount:
        typeof global_discount === "object" ? global_discount : zero(global_discount) && !globalDiscountShown(read) ? { value_type: "percentage", value: 0 } : undefined,
    }),
  } as DocumentUpdateBody);
}

/** The update that keeps a purchase order as the read found it, as far as the read says (see `documentUpdateFrom`). */
export function purchaseOrderUpdateFrom(read: PurchaseOrderRead): PurchaseOrderUpdateBody {
  // The update takes the supplier under `client`; a read may name it `supplier`.
  const { supplier, ...rest } = read;
  const party = rest.client ?? supplier;
  // The service finds a supplier by its name and ignores an existing one's other fields.
  const client = party && { name: party.name, code: party.code };
  return traced(read.items, { purchase_order: kept(schemas.PurchaseOrder!, { ...rest, client, items: described(read.items) }) } as PurchaseOrderUpdateBody);
}

/** The update that keeps a client as the read found it. */
export function clientUpdateFrom(read: ClientRead): ClientUpdateBody {
  const { language, send_options, preferred_contact, email, ...rest } = read;
  // What reads answer for a field never set ("", 0, []) has no form in the
  // update: left out, the field stays as it is.
  return {
    client: kept(schemas.Client!, {
      ...rest,
      email: noAddressAsEmpty(email),
      language: language === "" ? undefined : language,
      send_options: send_options === "" || String(send_options) === "0" ? undefined : send_options,
      preferred_contact: Array.isArray(preferred_contact) ? undefined : preferred_contact && { ...preferred_contact, email: noAddressAsEmpty(preferred_contact.email) },
    }),
  } as ClientUpdateBody;
}

/**
 * What the read of a document or purchase order could not say that the
 * update needs, and `body` (the edit's) still does not: each an issue that
 * names the field and what to set in `edit`. An edit with any is not sent.
 */
export function gapsOf(read: DocumentRead | PurchaseOrderRead | ClientRead, body: object): ValidationIssue[] {
  const [root, sent = {}] = Object.entries(Object(body))[0] ?? [];
  const fields = sent as Partial<InvoicingDocument>;
  const issues: ValidationIssue[] = [];
  const gap = (field: string, message: string) => issues.push({ in: "body", path: `/${root}/${field.replaceAll(".", "/")}`, message: `${message}: set ${root}.${field.replace(/\.(\d+)/, "[$1]")} in edit` });
  const items = (Array.isArray(fields.items) ? fields.items : []) as { name?: unknown; tax?: { name?: unknown } | null }[];
  const unnamed = (tax: { name?: unknown } | null | undefined) => !tax?.name;
  const lines = (read as DocumentRead).items ?? [];
  // The read's line an item was built from, renamed or not; else the one of its name.
  const lineOf = (item: (typeof items)[number]) => (isObject(item) && builtFrom.get(item)) || lines.find((line) => line.name === item?.name);
  // The service applies the default tax to an unnamed one: an exempt line would become IVA23.
  items.forEach((item, i) => {
    const line = lineOf(item);
    if (line && unnamed(line.tax) && unnamed(item?.tax))
      gap(`items.${i}.tax.name`, `item ${JSON.stringify(line.name)}'s tax has no name in the read, and the service gives an unnamed tax the account's default`);
  });
  // The service matches items by name: two of one name would update one line twice, and the other would be deleted.
  items.forEach((item, i) => {
    if (items.findIndex((other) => other?.name === item?.name) < i)
      gap(`items.${i}.name`, `two items are named ${JSON.stringify(item?.name)}, and the service matches items by name, so one line would be lost`);
  });
  if (root !== "invoice") return issues;
  const { tax_exemption: code, currency, multicurrency, global_discount } = read as DocumentRead & ReadExtras;
  // An update without the code takes the account's default (M99 was seen:
  // SuesteCreative/shopify-invoicexpress-worker, its tests of the update).
  const exempt = lines.filter((line) => zero(line.tax?.value) && items.some((item) => lineOf(item) === line));
  if (exempt[0] && !code && !fields.tax_exemption)
    gap("tax_exemption", `the read holds exempt items (${exempt.map((line) => JSON.stringify(line.name))}) and no tax_exemption, and an update without one takes the account's default`);
  // Without a multicurrency beside it, `currency` names the document's own
  // currency, which the update takes as a code: Euro is taken for the
  // account's default (every recorded read answers it), any other is not guessed.
  if (!multicurrency?.currency && currency && currency !== "Euro" && fields.currency_code === undefined)
    gap("currency_code", `the read names the currency ${JSON.stringify(currency)}, and the update takes a code (with its rate)`);
  if (global_discount != null && typeof global_discount !== "object" && !zero(global_discount) && fields.global_discount === undefined)
    gap("global_discount", `the read's global_discount ${global_discount} does not say whether it is a percentage or an amount ({ value_type, value })`);
  // The read does not return a global discount, but its amounts show one: left out, the update would drop it.
  else if (globalDiscountShown(read as DocumentRead) && fields.global_discount == null)
    gap("global_discount", `the read's discount (${(read as DocumentRead).discount}) is more than its items' discounts, so the document has a global discount the read does not return ({ value_type, value })`);
  return issues;
}

/**
 * Whether a document's read shows a global discount: its `discount`, the
 * amount of all its discounts, more than its items' own (each item's
 * `discount_amount`, or its `discount` percentage of its price times its
 * quantity), by more than the items' rounding.
 */
function globalDiscountShown(read: DocumentRead): boolean {
  const items = read.items ?? [];
  const own = items.reduce((total, item) => {
    const amount = item.discount_amount ?? (Number(item.unit_price ?? 0) * Number(item.quantity ?? 0) * Number(item.discount ?? 0)) / 100;
    return total + Number(amount);
  }, 0);
  return Number(read.discount ?? 0) - own > 0.005 * (items.length + 1);
}

/** The read's line each item of a built body came from: an edit that renames an item keeps what its line could not say in view. */
const builtFrom = new WeakMap<object, ItemRead>();

/** `body`, its items (under its one root) traced to the read's `items` they were built from, in order. */
function traced<Body extends object>(items: ItemRead[] | null | undefined, body: Body): Body {
  const built = (Object.values(body)[0] as { items?: object[] }).items;
  built?.forEach((item, i) => items?.[i] && builtFrom.set(item, items[i]!));
  return body;
}

const isObject = (value: unknown): value is object => typeof value === "object" && value !== null;

/**
 * The read's items; a description the read holds none of is an empty one,
 * which the update takes; a discount it answers `""` for (never set) is left
 * out, which the update takes for none (0).
 */
const described = (items: ItemRead[] | null | undefined) =>
  items?.map((item) => ({ ...item, description: item.description ?? "", discount: (item.discount as unknown) === "" ? undefined : item.discount }));

/** A read's email: null is no address, which the update takes as "" (and never as null). */
const noAddressAsEmpty = (email: unknown) => (email === null ? "" : email);

/** Whether a read's amount is zero: a number, or the text of one, but not nothing. */
const zero = (amount: unknown) => amount !== null && amount !== "" && Number(amount) === 0;

/** `value` with only the fields `schema` takes (not those it marks read-only), at every depth. */
function kept(schema: RuleSchema, value: unknown): never {
  const rules = shapeOf(schema);
  if (Array.isArray(value)) return (rules.items ? value.map((item) => kept(rules.items!, item)) : value) as never;
  if (typeof value !== "object" || value === null || !rules.properties) return value as never;
  const fields: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) {
    const rule = rules.properties[name];
    if (rule && field !== undefined) fields[name] = kept(rule, field);
  }
  return fields as never;
}

/** The rules that say which fields a value holds: a reference followed, or the first branch that has fields. */
function shapeOf(schema: RuleSchema): RuleSchema {
  const followed = schema.$ref ? schemas[schema.$ref]! : schema;
  const branch = followed.anyOf?.map(shapeOf).find((rules) => rules.properties || rules.items);
  return branch ?? followed;
}
