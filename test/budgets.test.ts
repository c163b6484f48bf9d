// Budgets that guard regressions: a size, and a ratio measured in the same
// run as its baseline. No absolute times: this machine is shared and noisy.
// `npm run bench` measures the same things more closely (see BENCHMARKS.md).
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  bareFetchPut,
  entrySize,
  interleavedRounds,
  medianRatio,
  startLoopbackServer,
  unreachedRateLimit,
  type LoopbackServer,
} from "../bench/measure.js";
import { createInvoiceXpressClient } from "../src/index.js";
import { vendorBodies } from "./support/vendor-bodies.js";

it("the client entry with validation stays within 10 kB minified and gzipped", async () => {
  const { gzipped } = await entrySize();
  expect(gzipped).toBeLessThanOrEqual(10_000);
});

let server: LoopbackServer;
beforeAll(async () => {
  server = await startLoopbackServer();
});
afterAll(() => server?.stop());

// The bench measures this closely (BENCHMARKS.md), also against a fetch that
// carries the same timeout signal; this looser bound catches a gross
// regression (a middleware that rebuilds requests costs 1.3x) without
// flaking when the other core is busy.
it("updateDocument, its rate limiter on, costs at most 1.25x a bare fetch of the same PUT", async () => {
  const ix = createInvoiceXpressClient({ baseUrl: server.url, apiKey: "budget-key", rateLimit: unreachedRateLimit });
  const invoice = vendorBodies.updateDocument;
  const rounds = await interleavedRounds(
    {
      bare: () => bareFetchPut(`${server.url}/invoices/1.json?api_key=budget-key`, invoice),
      updateDocument: () => ix.updateDocument("invoices", 1, invoice as never),
    },
    { rounds: 15, perRound: 100, warmup: 200 },
  );
  expect(medianRatio(rounds.updateDocument!, rounds.bare!)).toBeLessThanOrEqual(1.25);
});
