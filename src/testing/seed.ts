// What a fake account holds when no seed is given: the spec's read examples
// (recorded live reads where the spec has them).
import type { ClientRead, DocumentRead } from "../../generated/schema.js";
import { readExamples } from "../../generated/examples.js";
import type { FakeAccountSeed, SeedDocument, SeedPurchaseOrder } from "./fake-account.js";

const deepFrozen = <T>(value: T): T => {
  if (typeof value === "object" && value !== null) Object.values(value).forEach(deepFrozen);
  return Object.freeze(value);
};

/**
 * What `createFakeAccount()` holds, frozen: client 6212263, purchase order
 * 1503 (a draft), invoice 24206414 and invoice receipt 24850807 (drafts).
 * Build on it with `createFakeAccount({ ...defaultSeed, clients: [...] })`.
 */
export const defaultSeed: Readonly<FakeAccountSeed> = deepFrozen({
  clients: [structuredClone(readExamples.client) as ClientRead & { id: number }],
  purchaseOrders: [structuredClone(readExamples.purchaseOrder) as SeedPurchaseOrder],
  documents: Object.entries(structuredClone(readExamples.documents)).map(([type, document]) => ({ ...(document as DocumentRead), type }) as SeedDocument),
});
