// The conformance proxy in front of a raw TCP upstream on 127.0.0.1 that
// writes hostile bytes as its answer: a status line Node can read but not
// write back, a bare switch of protocols, and silence while the garbage
// collector runs. The proxy answers each, and the request after it.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunningProxy } from "../src/proxy/proxy.js";
import { proxiedRawUpstream, type ProxiedRawUpstream } from "./support/raw-upstream.js";

// gc() in this worker, as `node --expose-gc` gives it.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const timeoutMs = 1_500;
const ok = "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";
// What the upstream writes for each client id; a silent one never answers.
const answers: Record<string, string> = {
  "1": ok,
  "2": "HTTP/1.1 200 O\x01K\r\ncontent-length: 0\r\n\r\n",
  "3": "HTTP/1.1 404 Not\x7fFound\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}",
  "4": "HTTP/1.1 101 Switching Protocols\r\n\r\n",
  "6": "HTTP/1.1 200 OK\r\nx-note: a\x01b\r\ncontent-length: 0\r\n\r\n",
};
let upstream: ProxiedRawUpstream;
let proxy: RunningProxy;
// After a 101 the connection speaks another protocol: no HTTP answer comes on it again.
const switched = new WeakSet<object>();

beforeAll(async () => {
  upstream = await proxiedRawUpstream((id, socket) => {
    if (switched.has(socket)) return;
    // Kept open, as a pooled connection would be; an id with no answer is silent.
    if (answers[id]) socket.write(answers[id]);
    if (id === "4") switched.add(socket);
  }, timeoutMs);
  proxy = upstream.proxy;
}, 90_000);

afterAll(() => upstream?.stop());

const send = (id: string) =>
  fetch(`${proxy.url}/clients/${id}.json?api_key=upstream-test-key`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ client: { name: "Client Name", code: "A1" } }) });

it.each(["2", "3"])("a control character in the reason phrase (client %s): 502 with a sentence, and the proxy answers the next request", async (id) => {
  const answer = await send(id);
  expect(answer.status).toBe(502);
  expect(await answer.text()).toMatch(/^The service's answer could not be relayed \(HTTP \d+\): /);
  expect((await send("1")).status).toBe(200);
});

it("a control character in a header value, which Node will not read: 502 naming the answer, not the connection", async () => {
  const answer = await send("6");
  expect([answer.status, await answer.text()]).toEqual([502, "The conformance proxy failed: the service's answer is not HTTP that Node can read (HPE_INVALID_HEADER_TOKEN)."]);
  expect((await send("1")).status).toBe(200);
});

it("a bare 101 Switching Protocols: 502 with a sentence, and the proxy answers the next requests", async () => {
  const answer = await send("4");
  expect([answer.status, await answer.text()]).toEqual([502, "The service answered HTTP 101, which cannot be relayed."]);
  for (const _ of [1, 2, 3]) expect((await send("1")).status).toBe(200);
});

it("an upstream silent while the garbage collector runs: 504 after the timeout all the same", async () => {
  const answering = send("5");
  // Collections while the request to the upstream waits: a timeout that lives only in a weakly held signal is lost.
  const collecting = setInterval(gc, 100);
  try {
    const answer = await answering;
    expect([answer.status, await answer.text()]).toEqual([504, `The service did not answer within ${timeoutMs} ms.`]);
  } finally {
    clearInterval(collecting);
  }
}, 20_000);
