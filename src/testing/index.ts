// invoicexpress-openapi/testing: a fake account for your own tests, in
// memory, with state, that answers as the service does.
export {
  createFakeAccount,
  type FakeAccount,
  type FakeAccountSeed,
  type Fault,
  type Held,
  type RecordedRequest,
  type SeedDocument,
  type SeedPurchaseOrder,
} from "./fake-account.js";
export { defaultSeed } from "./seed.js";
export type { RecordedEmail } from "./life.js";
export type { HandlerOptions, MswLike } from "./msw.js";
