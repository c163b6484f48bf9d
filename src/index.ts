export {
  createInvoiceXpressClient,
  type CallOptions,
  type InvoiceXpressClient,
  type InvoiceXpressHelpers,
  type InvoiceXpressOptions,
  type SuccessBody,
} from "./client.js";
export { InvoiceXpressError, type InvoiceXpressErrorCode } from "./errors.js";
export { RequestValidationError, type ValidationIssue } from "./validation.js";
export type { FetchLike, WaitEvent } from "./transport.js";
export { createRateLimiter, type RateLimit, type RateLimiter } from "./rate-limit.js";
// paths, components, and a type per schema under its own name (Item, Tax, DocumentUpdateBody…).
export type * from "../generated/schema.js";
