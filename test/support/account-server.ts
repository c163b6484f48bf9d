// A fake account served over real HTTP on 127.0.0.1: the client talks to it
// as to the service, through its own fetch, and the server records what
// reached the wire.
import { createFakeAccount, type FakeAccountSeed } from "../../src/testing/index.js";
import { startRecordingServer } from "./loopback.js";

export async function startAccountServer(seed?: FakeAccountSeed) {
  const account = createFakeAccount(seed);
  const server = await startRecordingServer((request, res) => {
    const headers = Object.entries(request.headers).flatMap(([name, value]) => (typeof value === "string" ? [[name, value] as [string, string]] : []));
    void account.fetch(`http://127.0.0.1${request.url}`, { method: request.method, headers, body: request.body || undefined }).then(async (response) => {
      res.writeHead(response.status, Object.fromEntries(response.headers)).end(Buffer.from(await response.arrayBuffer()));
    });
  });
  return { account, ...server };
}
