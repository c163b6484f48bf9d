// Loopback ports for the proxy, the mock and the tests: whether one is free,
// and one the system has just handed out.
import { createServer } from "node:net";

/** Listens on `port` (0: any) for a moment; resolves with the port it got. */
function probePort(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(port, host, () => {
      const { port: got } = probe.address() as { port: number };
      probe.close(() => resolve(got));
    });
  });
}

/** Resolves when the port can be listened on; rejects with a sentence when it cannot. */
export const checkPortFree = (port: number, host = "127.0.0.1"): Promise<void> =>
  probePort(port, host).then(
    () => undefined,
    (error: NodeJS.ErrnoException) => {
      throw new Error(error.code === "EADDRINUSE" ? `port ${port} on ${host} is already in use` : error.message);
    },
  );

/** A port the system has just handed out, free at the time of asking. */
export const freePort = (host = "127.0.0.1"): Promise<number> => probePort(0, host);
