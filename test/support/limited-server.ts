// A server on 127.0.0.1 that enforces a rate limit as the service does: at
// most `requests` accepted in any sliding `perMs`, counted as requests
// arrive, and 429 past it. It counts what it served and refused, and how
// many times each update was applied.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface LimitedServer {
  url: string;
  served: number;
  refused: number;
  /** Per `METHOD /path`, how many times it was applied. */
  applied: Map<string, number>;
  /** The most requests accepted in any window of `perMs`. */
  busiestWindow: number;
  close(): Promise<void>;
}

export interface Limit {
  requests: number;
  perMs: number;
  /** Send Retry-After (whole seconds) with each 429. */
  retryAfter?: boolean;
}

export async function startLimitedServer({ requests, perMs, retryAfter = false }: Limit): Promise<LimitedServer> {
  const accepted: number[] = [];
  let oldest = 0;
  const state = { served: 0, refused: 0, applied: new Map<string, number>(), busiestWindow: 0 };
  const server = createServer((req, res) => {
    const now = performance.now();
    while (oldest < accepted.length && accepted[oldest]! <= now - perMs) oldest++;
    const inWindow = accepted.length - oldest;
    req.resume();
    if (inWindow >= requests) {
      state.refused++;
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (retryAfter) headers["retry-after"] = String(Math.ceil((accepted[oldest]! + perMs - now) / 1000));
      res.writeHead(429, headers).end('{"errors":[{"error":"Rate limit exceeded"}]}');
      return;
    }
    accepted.push(now);
    state.busiestWindow = Math.max(state.busiestWindow, inWindow + 1);
    state.served++;
    const update = `${req.method} ${new URL(req.url!, "http://x").pathname}`;
    state.applied.set(update, (state.applied.get(update) ?? 0) + 1);
    req.on("end", () => res.writeHead(200).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return Object.assign(state, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
