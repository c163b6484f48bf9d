// A client made without a `fetch` of its own, before msw starts intercepting
// (as a module-level client is made before a test's `server.listen()`): its
// calls must meet the interception, not the network. msw patches the global
// fetch, as it does for its users; nothing else here touches a global.
import { createServer } from "node:net";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createInvoiceXpressClient } from "../src/index.js";

// A loopback port nothing listens on: a call that missed the interception fails there, and goes nowhere else.
const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, "127.0.0.1", () => {
    const { port } = probe.address() as { port: number };
    probe.close(() => resolve(port));
  });
});
const baseUrl = `http://127.0.0.1:${port}`;
const ix = createInvoiceXpressClient({ baseUrl, apiKey: "module-level-key", maxRetries: 0, rateLimit: false });

const seen: string[] = [];
const server = setupServer(
  http.get(`${baseUrl}/clients/:id`, ({ request }) => {
    seen.push(new URL(request.url).pathname);
    return HttpResponse.json({ client: { id: 42, name: "Acme", code: "A1" } });
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());

it("a client made before server.listen() is intercepted: it looks the global fetch up at each call", async () => {
  await expect(ix.getClient(42)).resolves.toMatchObject({ id: 42, name: "Acme" });
  expect(seen).toEqual(["/clients/42.json"]);
});
