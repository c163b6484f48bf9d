export {
  createInvoiceXpressClient,
  type CallOptions,
  type ClientUpdateBody,
  type DocumentType,
  type DocumentUpdateBody,
  type InvoiceXpressClient,
  type InvoiceXpressHelpers,
  type InvoiceXpressOptions,
  type PurchaseOrderUpdateBody,
} from "./client.js";
export { InvoiceXpressError, type InvoiceXpressErrorCode } from "./errors.js";
export { RequestValidationError, type ValidationIssue } from "./validation.js";
export type { FetchLike, WaitEvent } from "./transport.js";
export { createRateLimiter, type RateLimit, type RateLimiter } from "./rate-limit.js";
export type { components, paths } from "../generated/schema.js";
