import { expect } from "vitest";
import type { InvoiceXpressError } from "../../src/index.js";

/**
 * Every form the key can take on its way out and back: as typed, as
 * `encodeURIComponent` writes it, as the URL parser re-encodes that in a
 * query, as `URLSearchParams` writes it, and each of those with lower-case
 * percent escapes, as some servers echo them.
 */
export function keySpellings(apiKey: string): string[] {
  const encoded = encodeURIComponent(apiKey);
  const forms = [
    apiKey,
    encoded,
    new URL(`http://h/?${encoded}`).search.slice(1),
    new URL(`http://h/?${apiKey}`).search.slice(1),
    new URLSearchParams({ k: apiKey }).toString().slice(2),
  ];
  return [...new Set(forms.flatMap((form) => [form, form.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase())]))];
}

/** Fails if the key, in any spelling, is anywhere an error can show it: its text, its JSON, and every own field of it and its causes. */
export function expectNoKey(error: unknown, apiKey: string) {
  const places = [String(error), JSON.stringify((error as InvoiceXpressError).messages)];
  for (let value = error; value; value = (value as Error).cause) {
    places.push(String(value), JSON.stringify(value));
    if (typeof value === "object") {
      for (const name of Object.getOwnPropertyNames(value)) places.push(String((value as Record<string, unknown>)[name]));
    }
  }
  const spellings = keySpellings(apiKey);
  for (const text of places) for (const spelling of spellings) expect(text ?? "").not.toContain(spelling);
}
