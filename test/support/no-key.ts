import { expect } from "vitest";
import type { InvoiceXpressError } from "../../src/index.js";

/** Fails if the key, in any spelling, is anywhere an error can show it. */
export function expectNoKey(error: unknown, apiKey: string) {
  const places = [
    String(error),
    (error as Error).stack,
    JSON.stringify(error),
    (error as InvoiceXpressError).url,
    JSON.stringify((error as InvoiceXpressError).messages),
  ];
  for (let cause = (error as Error).cause; cause; cause = (cause as Error).cause) {
    places.push(String(cause), (cause as Error).stack, JSON.stringify(cause));
  }
  const spellings = [apiKey, encodeURIComponent(apiKey), new URLSearchParams({ k: apiKey }).toString().slice(2)];
  for (const text of places) for (const spelling of spellings) expect(text ?? "").not.toContain(spelling);
}
