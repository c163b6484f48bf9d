// The package's main entry: the client, its errors and rate limiter, the read-to-update
// conversions, and the types generated from the spec.
export {
  createInvoiceXpressClient,
  type CallOptions,
  type Edit,
  type InvoiceXpressClient,
  type InvoiceXpressHelpers,
  type InvoiceXpressOptions,
  type SuccessBody,
} from "./client.js";
export {
  clientUpdateFrom,
  documentUpdateFrom,
  purchaseOrderUpdateFrom,
  type DocumentFieldsNotRead,
  type PurchaseOrderFieldsNotRead,
} from "./edit.js";
export type { LifeHelpers } from "./life.js";
export { InvoiceXpressError, type InvoiceXpressErrorCode } from "./errors.js";
export { RequestValidationError, type ValidationIssue } from "./validation.js";
export type { FetchLike, Logger, WaitEvent } from "./transport.js";
export { createRateLimiter, type RateLimit, type RateLimiter, type Turn } from "./rate-limit.js";
// paths, components, and a type per schema under its own name (Item, Tax, DocumentUpdateBody…).
export type * from "../generated/schema.js";
