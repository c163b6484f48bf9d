// An upstream on 127.0.0.1 that speaks raw TCP, for the proxy's tests:
// what it writes for each request is the test's own bytes, hostile or not,
// and the conformance proxy in front of it.
import { createServer, type Socket } from "node:net";
import { freePort } from "../../src/proxy/ports.js";
import { startConformanceProxy, type RunningProxy } from "../../src/proxy/proxy.js";

/** Called once per request head, with the client id its path names (`/clients/7.json`: "7"). */
export type RawAnswer = (id: string, socket: Socket) => void;

export interface ProxiedRawUpstream {
  proxy: RunningProxy;
  /** Stops the proxy, then the upstream and every connection it holds. */
  stop(): Promise<void>;
}

export async function proxiedRawUpstream(answer: RawAnswer, timeoutMs: number): Promise<ProxiedRawUpstream> {
  const sockets: Socket[] = [];
  const upstream = createServer((socket) => {
    socket.on("error", () => {});
    sockets.push(socket);
    let head = "";
    socket.on("data", (chunk) => {
      head += chunk;
      if (!head.includes("\r\n\r\n")) return;
      const id = /\/clients\/(\d+)\.json/.exec(head)?.[1] ?? "";
      head = "";
      answer(id, socket);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const { port } = upstream.address() as { port: number };
  const proxy = await startConformanceProxy({ port: await freePort(), upstream: `http://127.0.0.1:${port}`, timeoutMs });
  return {
    proxy,
    async stop() {
      await proxy.stop();
      for (const socket of sockets) socket.destroy();
      upstream.close();
    },
  };
}
