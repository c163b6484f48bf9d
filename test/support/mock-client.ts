// A client of the Prism mock that the global setup started, whose fetch keeps
// every response: Prism names the rules a request broke in a header.
import { inject } from "vitest";
import { createInvoiceXpressClient } from "../../src/index.js";

export function mockClient({ withoutKey = false, validate = true } = {}) {
  const responses: Response[] = [];
  const ix = createInvoiceXpressClient({
    baseUrl: inject("mockUrl"),
    apiKey: "mock-test-key",
    maxRetries: 0,
    // The mock has no rate limit, and the property tests send thousands of calls.
    rateLimit: false,
    validate,
    fetch: async (input, init) => {
      const url = new URL(String(input));
      if (withoutKey) url.searchParams.delete("api_key");
      const response = await fetch(url, init);
      responses.push(response);
      return response;
    },
  });
  /** Prism's `sl-violations` header on the last response. */
  const violations = () => responses.at(-1)!.headers.get("sl-violations");
  return { ix, violations };
}
