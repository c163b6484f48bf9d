// One process of a bulk job: updates clients FIRST..FIRST+COUNT-1 through a
// rate limit shared in Redis, then prints what happened as one JSON line.
// CLOCK_SHIFT_MS sets this process's wall clock that far ahead (or behind);
// LEASE_MS is the limiter's leaseMs.
import { Redis } from "ioredis";
import { createInvoiceXpressClient } from "../../src/index.js";
import { createRedisRateLimiter } from "../../src/redis.js";

const [baseUrl, redisPort, first, count, requests, perMs] = process.argv.slice(2);
const shift = Number(process.env.CLOCK_SHIFT_MS ?? 0);
if (shift) {
  const realNow = Date.now;
  Date.now = () => realNow() + shift;
}
const redis = new Redis({ host: "127.0.0.1", port: Number(redisPort) });
const rateLimit = createRedisRateLimiter({
  redis,
  id: process.env.LIMIT_ID ?? "acme",
  requests: Number(requests),
  perMs: Number(perMs),
  ...(process.env.LEASE_MS && { leaseMs: Number(process.env.LEASE_MS) }),
});
const waits: string[] = [];
const ix = createInvoiceXpressClient({ baseUrl: baseUrl!, apiKey: "bulk-key", rateLimit, onWait: (event) => waits.push(event.reason) });
const results = await Promise.all(
  Array.from({ length: Number(count) }, (_, i) =>
    ix.updateClient(Number(first) + i, { client: { name: "Client Name", code: `C${i}` } }).then(
      () => "ok",
      (error: Error) => error.message,
    ),
  ),
);
await rateLimit.close();
redis.disconnect();
console.log(JSON.stringify({ failed: results.filter((result) => result !== "ok"), waits }));
