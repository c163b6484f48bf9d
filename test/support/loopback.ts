// Real servers on 127.0.0.1 that record every request they receive, plain
// HTTP or TLS with a certificate made for the run, for tests that must see
// what actually reaches the wire.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type IncomingHttpHeaders, type RequestListener, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, fetch as undiciFetch } from "undici";
import type { FetchLike } from "../../src/index.js";

export interface Received {
  method: string;
  /** The request target as it arrived: path and query, still percent-encoded. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface RecordingServer {
  /** `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`. */
  url: string;
  received: Received[];
  close(): Promise<void>;
}

export type Answer = (request: Received, res: ServerResponse) => void;

/** A server that records each request, then lets `answer` reply (by default an empty 200). */
export async function startRecordingServer(
  answer: Answer = (_request, res) => res.writeHead(200).end(),
  tls?: TlsCredentials,
): Promise<RecordingServer> {
  const received: Received[] = [];
  const listener: RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() };
      received.push(request);
      answer(request, res);
    });
  };
  const server = tls ? createHttpsServer(tls, listener) : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export interface TlsCredentials {
  key: string;
  cert: string;
}

/** A self-signed certificate for 127.0.0.1, made by Debian's openssl for this run only. */
export function loopbackCertificate(): TlsCredentials {
  const dir = mkdtempSync(join(tmpdir(), "ix-tls-"));
  try {
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
      "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
      "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"),
    ], { stdio: "ignore" });
    return { key: readFileSync(join(dir, "key.pem"), "utf8"), cert: readFileSync(join(dir, "cert.pem"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The same fetch as Node's (undici), trusting `cert` as well: the client is
 * handed it like any injected fetch, and redirects behave exactly as with
 * the platform's.
 */
export function fetchTrusting({ cert }: TlsCredentials): FetchLike {
  const dispatcher = new Agent({ connect: { ca: cert } });
  return ((input: string, init: object) => undiciFetch(input, { ...init, dispatcher })) as unknown as FetchLike;
}
