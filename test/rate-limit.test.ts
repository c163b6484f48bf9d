// The rate limiter: against a real server on 127.0.0.1 that enforces a
// sliding-window limit, and, for what needs no network, over a recording fetch.
import fc from "fast-check";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createInvoiceXpressClient, createRateLimiter, type InvoiceXpressOptions, type WaitEvent } from "../src/index.js";
import { startLimitedServer, type LimitedServer } from "./support/limited-server.js";
import { startRecordingServer } from "./support/loopback.js";
import { recordingFetch } from "./support/recording-fetch.js";

const apiKey = "rate-limit-key";
const body = { client: { name: "Client Name", code: "A1" } };
const limit = { requests: 60, perMs: 1_000 };

let server: LimitedServer | undefined;
afterEach(() => server?.close());

const clientOf = (url: string, options: Partial<InvoiceXpressOptions>) =>
  createInvoiceXpressClient({ baseUrl: url, apiKey, ...options });

/** The heap in use after a full collection. A weak reference made in this turn is only cleared in a later one, so each collection waits for one. */
async function heapAfterGc() {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  for (let i = 0; i < 2; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    gc();
  }
  return process.memoryUsage().heapUsed;
}

const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;

/** Updates clients `first` to `first + count - 1` at once; each settles as "ok" or with its error. */
const burst = (ix: ReturnType<typeof createInvoiceXpressClient>, count: number, first = 1) =>
  Promise.all(
    Array.from({ length: count }, (_, i) =>
      ix.updateClient(first + i, body).then(
        () => "ok",
        (error: unknown) => error,
      ),
    ),
  );

describe("against a server that enforces 60 requests a second", () => {
  it("240 concurrent updates all succeed once, none refused, never more than 60 in a window", async () => {
    server = await startLimitedServer(limit);
    const results = await burst(clientOf(server.url, { rateLimit: limit }), 240);
    expect(results.filter((result) => result !== "ok")).toEqual([]);
    expect(server.refused).toBe(0);
    expect(server.served).toBe(240);
    expect([...server.applied.values()].every((times) => times === 1)).toBe(true);
    expect(server.applied.size).toBe(240);
    expect(server.busiestWindow).toBeLessThanOrEqual(60);
  });

  it("with rateLimit: false the same burst meets 429s", async () => {
    server = await startLimitedServer(limit);
    const results = await burst(clientOf(server.url, { rateLimit: false }), 240);
    expect(server.refused).toBeGreaterThan(0);
    expect(results.some((result) => result !== "ok")).toBe(true);
  });

  it.each([false, true])(
    "two clients sharing the account: each 429 (Retry-After sent: %s) pauses the client, nothing fails, no retry is spent",
    async (retryAfter) => {
      server = await startLimitedServer({ ...limit, retryAfter });
      const events: WaitEvent[] = [];
      // Each client keeps its own 60 a second: together they ask for twice what the server takes.
      const [a, b] = [1, 2].map(() => clientOf(server!.url, { rateLimit: limit, maxRetries: 0, onWait: (e) => events.push(e) }));
      const results = await Promise.all([burst(a!, 90, 1), burst(b!, 90, 1001)]);
      expect(results.flat().filter((result) => result !== "ok")).toEqual([]);
      expect(server.refused).toBeGreaterThan(0);
      expect(server.applied.size).toBe(180);
      const pauses = events.filter((e) => e.reason === "rate_limited");
      expect(pauses.length).toBe(server.refused);
      for (const pause of pauses) {
        expect(pause).toMatchObject({ status: 429, code: "rate_limited", attempt: expect.any(Number) });
        expect(pause.path).toMatch(/^\/clients\/\d+\.json$/);
        expect(pause.waitMs).toBeGreaterThanOrEqual(0);
        // (performance.now()'s fractions may add a rounding error.)
        expect(pause.waitMs).toBeLessThan((retryAfter ? 1_000 : limit.perMs) + 0.001);
        expect(JSON.stringify(pause)).not.toContain(apiKey);
      }
    },
  );

  it.each(["0", "Wed, 21 Oct 2015 07:28:00 GMT"])(
    "a server that answers every attempt 429 with Retry-After %j gets one request per window from a call, not a flood",
    async (retryAfter) => {
      const refusing = await startRecordingServer((_request, res) => res.writeHead(429, { "retry-after": retryAfter }).end());
      try {
        const events: WaitEvent[] = [];
        const ix = clientOf(refusing.url, { rateLimit: { requests: 10, perMs: 500 }, maxRetries: 0, onWait: (e) => events.push(e) });
        const error = await ix.updateClient(1, body, { signal: AbortSignal.timeout(1_200) }).catch((e: unknown) => e);
        expect(error).toMatchObject({ name: "TimeoutError" });
        // Sent at 0, paused until that request aged out (500 ms), sent again, and so on.
        expect(refusing.received.length).toBeGreaterThanOrEqual(2);
        expect(refusing.received.length).toBeLessThanOrEqual(3);
        expect(events.filter((e) => e.reason === "rate_limited").every((e) => e.waitMs > 400)).toBe(true);
      } finally {
        await refusing.close();
      }
    },
  );

  it("a call aborted while it waits for its turn rejects at once with the reason, and nothing of it is sent", async () => {
    server = await startLimitedServer(limit);
    const ix = clientOf(server.url, { rateLimit: { requests: 1, perMs: 60_000 } });
    await ix.updateClient(1, body);
    const controller = new AbortController();
    const waiting = ix.updateClient(2, body, { signal: controller.signal });
    const reason = new Error("the job was cancelled");
    setTimeout(() => controller.abort(reason), 50);
    await expect(waiting).rejects.toBe(reason);
    expect(server.applied.has("PUT /clients/2.json")).toBe(false);
    expect(server.served).toBe(1);
  });
});

describe("the limiter alone", () => {
  it("the default client sends 780 requests, and the 781st waits for the window", async () => {
    const recorder = recordingFetch(new Response(null, { status: 200 }));
    const events: WaitEvent[] = [];
    const ix = createInvoiceXpressClient({ accountName: "acme", apiKey, fetch: recorder.fetch, onWait: (e) => events.push(e) });
    const controller = new AbortController();
    const calls = Array.from({ length: 800 }, (_, i) => ix.updateClient(i + 1, body, { signal: controller.signal }).catch(() => "aborted"));
    await vi.waitUntil(() => recorder.calls.length === 780 && events.length === 20, { timeout: 20_000 });
    // A moment more: nothing else goes out.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(recorder.calls).toHaveLength(780);
    expect(events.every((e) => e.reason === "queued" && e.attempt === 0)).toBe(true);
    // The 781st waits about a minute: until the first answer ages out.
    expect(events[0]!.waitMs).toBeGreaterThan(59_000);
    // (performance.now()'s fractions may add a rounding error.)
    expect(events[0]!.waitMs).toBeLessThan(60_000.001);
    controller.abort();
    expect((await Promise.all(calls)).filter((result) => result === "aborted")).toHaveLength(20);
  });

  it("10,000 calls waiting on one signal: one timer, no warning, bounded memory, all released by one abort", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const recorder = recordingFetch(new Response(null, { status: 200 }));
      const ix = createInvoiceXpressClient({ accountName: "acme", apiKey, fetch: recorder.fetch, rateLimit: { requests: 1, perMs: 60_000 } });
      await ix.updateClient(1, body);
      const timersBefore = timers();
      const heapBefore = process.memoryUsage().heapUsed;
      const controller = new AbortController();
      const calls = Array.from({ length: 10_000 }, (_, i) => ix.updateClient(i + 2, body, { signal: controller.signal }).catch((e: unknown) => e));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(timers() - timersBefore).toBeLessThanOrEqual(1);
      // A waiting call costs its promise, its body and its place in line: a few kB at most.
      expect((process.memoryUsage().heapUsed - heapBefore) / 10_000).toBeLessThan(8_192);
      controller.abort(new Error("stop"));
      const results = await Promise.all(calls);
      expect(results.every((result) => result instanceof Error && result.message === "stop")).toBe(true);
      expect(recorder.calls).toHaveLength(1);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it.each([
    ["one signal shared by all, no limiter", false, true],
    ["one signal shared by all, a limiter", { requests: 1_000_000, perMs: 1 }, true],
    ["a new signal each, a limiter", { requests: 1_000_000, perMs: 1 }, false],
  ] as const)("20,000 calls one after another, %s: nothing of a finished call stays", async (_, rateLimit, shared) => {
    // Node 20 and 22 keep an AbortSignal.any signal as long as its source
    // lives, and one with a listener with all it refers to: a signal linked
    // per call to a long-lived one grows it by a kilobyte or more per call.
    const ix = createInvoiceXpressClient({ accountName: "acme", apiKey, fetch: async () => new Response(null, { status: 200 }), rateLimit });
    const controller = new AbortController();
    const run = async () => {
      for (let i = 0; i < 20_000; i++) await ix.updateClient(1, body, { signal: shared ? controller.signal : new AbortController().signal });
    };
    // The first run warms up the JIT and the client's own allocations.
    await run();
    const before = await heapAfterGc();
    await run();
    expect(((await heapAfterGc()) - before) / 20_000).toBeLessThan(256);
  });

  it("calls aborted while they wait keep nothing, and an abort that empties the line stops the limiter's timer", async () => {
    const limiter = createRateLimiter({ requests: 1, perMs: 600_000 });
    (await limiter.take())();
    const timersBefore = timers();
    const round = async () => {
      const controller = new AbortController();
      const waiting = Array.from({ length: 500 }, () => limiter.take(controller.signal).catch(() => "aborted"));
      await new Promise((resolve) => setTimeout(resolve, 1));
      controller.abort();
      expect(await Promise.all(waiting)).toEqual(Array(500).fill("aborted"));
    };
    for (let i = 0; i < 4; i++) await round();
    const before = await heapAfterGc();
    for (let i = 0; i < 40; i++) await round();
    expect(((await heapAfterGc()) - before) / 20_000).toBeLessThan(256);
    // The held place ages out in ten minutes: no timer waits for it once no call does.
    expect(timers()).toBeLessThanOrEqual(timersBefore);
  });

  it("pause reports the pause in force, not a shorter one asked for later", () => {
    const limiter = createRateLimiter({ requests: 5, perMs: 1_000 });
    expect(limiter.pause(3_000)).toBe(3_000);
    // The 3 s pause still holds: what is left of it, not the 1 s asked for.
    const second = limiter.pause(1_000);
    expect(second).toBeGreaterThan(1_000);
    expect(second).toBeLessThanOrEqual(3_000);
  });

  it("never hands out more than `requests` turns in any `perMs`, whatever the concurrency and answer times", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 20, max: 60 }),
        fc.array(fc.integer({ min: 0, max: 15 }), { minLength: 1, maxLength: 40 }),
        async (requests, perMs, answerTimes) => {
          const limiter = createRateLimiter({ requests, perMs });
          // When each request went out and when its answer came back.
          const spans: Array<[number, number]> = [];
          await Promise.all(
            answerTimes.map(async (answerMs) => {
              const done = await limiter.take();
              const sent = performance.now();
              await new Promise((resolve) => setTimeout(resolve, answerMs));
              spans.push([sent, performance.now()]);
              done();
            }),
          );
          // A request sent at `s` finds the others still in flight or answered less than perMs ago.
          for (const [sent] of spans) {
            const holding = spans.filter(([s, answered]) => s <= sent && answered > sent - perMs);
            expect(holding.length).toBeLessThanOrEqual(requests);
          }
        },
      ),
      { numRuns: 15 },
    );
  });

  it("refuses a limit that is not one, naming the option", () => {
    const limits = [
      { requests: 0, perMs: 1000 },
      { requests: 1.5, perMs: 1000 },
      { requests: 10, perMs: 0 },
      { requests: 10 },
      // Read from an environment variable, say: "1000" would join strings, not add.
      { requests: 10, perMs: "1000" },
      { requests: 10, perMs: true },
      { requests: 10, perMs: [1000] },
      // A limiter without the pause a 429 needs.
      { take: async () => () => {} },
      "fast",
      null,
    ];
    for (const rateLimit of limits) {
      expect(() => createInvoiceXpressClient({ accountName: "acme", apiKey, rateLimit: rateLimit as never })).toThrow(/rateLimit/);
    }
  });
});

describe("limits that hold under faults, in one process", () => {
  it("a call aborted from onWait rejects at once, leaves its place, and is never sent, whatever the fetch does", async () => {
    // A fetch that ignores its signal: only the client can keep the call from going out.
    const { fetch, calls } = recordingFetch();
    const controller = new AbortController();
    const reason = new Error("deadline passed while queued");
    const ix = createInvoiceXpressClient({
      baseUrl: "http://127.0.0.1:9",
      apiKey: "k",
      fetch,
      rateLimit: { requests: 1, perMs: 60_000 },
      onWait: (event) => event.reason === "queued" && controller.abort(reason),
    });
    const body = { client: { name: "A", code: "B" } };
    await ix.updateClient(1, body);
    await expect(ix.updateClient(2, body, { signal: controller.signal })).rejects.toBe(reason);
    expect(calls.map(({ url }) => new URL(url).pathname)).toEqual(["/clients/1.json"]);
  });

  it("a Retry-After over a minute: that call fails, and the client pauses, so the calls behind it do not run into 429s", async () => {
    const server = await startRecordingServer((_request, res) => res.writeHead(429, { "retry-after": "120" }).end());
    try {
      const waits: WaitEvent[] = [];
      const ix = createInvoiceXpressClient({ baseUrl: server.url, apiKey: "k", maxRetries: 0, onWait: (event) => waits.push(event) });
      await expect(ix.getClient(1)).rejects.toMatchObject({ code: "rate_limited", status: 429 });
      const controller = new AbortController();
      const behind = ix.getClient(2, { signal: controller.signal });
      await vi.waitUntil(() => waits.some((event) => event.reason === "queued"));
      expect(waits.find((event) => event.reason === "queued")!.waitMs).toBeGreaterThan(60_000);
      expect(server.received).toHaveLength(1);
      controller.abort();
      await expect(behind).rejects.toThrow();
    } finally {
      await server.close();
    }
  });

  it("a service that answers 429 for ever: a default call ends with rate_limited after maxRateLimitPauses pauses", async () => {
    const server = await startRecordingServer((_request, res) => res.writeHead(429, { "retry-after": "1" }).end());
    try {
      const pauses: WaitEvent[] = [];
      const ix = createInvoiceXpressClient({ baseUrl: server.url, apiKey: "k", maxRateLimitPauses: 2, onWait: (event) => pauses.push(event) });
      await expect(ix.updateClient(1, { client: { name: "A", code: "B" } })).rejects.toMatchObject({ code: "rate_limited", status: 429 });
      expect(pauses.filter(({ reason }) => reason !== "queued").map(({ reason }) => reason)).toEqual(["rate_limited", "rate_limited"]);
      expect(server.received).toHaveLength(3);
    } finally {
      await server.close();
    }
  }, 20_000);

  it("maxRateLimitPauses is a whole number", () => {
    expect(() => createInvoiceXpressClient({ baseUrl: "http://127.0.0.1:9", apiKey: "k", maxRateLimitPauses: 1.5 })).toThrow(/maxRateLimitPauses/);
  });
});
