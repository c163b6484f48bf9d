// Turns what a read answers into the update that leaves the resource as it
// is: every field the read returns that the update takes, in the update's
// form; the fields the service computes itself (totals, IDs, states) left out.
import { schemas, type RuleSchema } from "../generated/request-schemas.js";
import type {
  ClientRead,
  ClientUpdateBody,
  DocumentRead,
  DocumentUpdateBody,
  PurchaseOrderRead,
  PurchaseOrderUpdateBody,
} from "../generated/schema.js";

/** The update that keeps a document as the read found it. */
export function documentUpdateFrom(read: DocumentRead): DocumentUpdateBody {
  const { mb_reference: reference, ...rest } = read;
  // A read answers the Multibanco reference itself where the update takes a
  // flag: a document with a reference had the flag on; an object with none
  // says nothing, and is left out.
  const flag =
    typeof reference !== "object" || reference === null ? { mb_reference: reference } : reference.reference ? { mb_reference: "1" } : {};
  return { invoice: kept(schemas.InvoicingDocument!, { ...rest, ...(reference !== undefined && flag) }) } as DocumentUpdateBody;
}

/** The update that keeps a purchase order as the read found it. */
export function purchaseOrderUpdateFrom(read: PurchaseOrderRead): PurchaseOrderUpdateBody {
  // The update takes the supplier under `client`; a read may name it `supplier`.
  const { supplier, ...rest } = read;
  return { purchase_order: kept(schemas.PurchaseOrder!, { ...rest, client: rest.client ?? supplier }) } as PurchaseOrderUpdateBody;
}

/** The update that keeps a client as the read found it. */
export function clientUpdateFrom(read: ClientRead): ClientUpdateBody {
  return { client: kept(schemas.Client!, read) } as ClientUpdateBody;
}

/** `value` with only the fields `schema` takes and does not mark read-only, at every depth. */
function kept(schema: RuleSchema, value: unknown): never {
  const rules = shapeOf(schema);
  if (Array.isArray(value)) return (rules.items ? value.map((item) => kept(rules.items!, item)) : value) as never;
  if (typeof value !== "object" || value === null || !rules.properties) return value as never;
  const fields: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) {
    const rule = rules.properties[name];
    if (rule && field !== undefined && !rules.readOnly?.includes(name)) fields[name] = kept(rule, field);
  }
  return fields as never;
}

/** The rules that say which fields a value holds: a reference followed, or the first branch that has fields. */
function shapeOf(schema: RuleSchema): RuleSchema {
  const followed = schema.$ref ? schemas[schema.$ref]! : schema;
  const branch = followed.anyOf?.map(shapeOf).find((rules) => rules.properties || rules.items);
  return branch ?? followed;
}
