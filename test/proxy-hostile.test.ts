// The conformance proxy in front of a raw TCP upstream on 127.0.0.1 whose
// answers break off, run on, or come in pieces: each is answered with a
// status and a sentence, and the request after it is answered as before.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunningProxy } from "../src/proxy/proxy.js";
import { proxiedRawUpstream, type ProxiedRawUpstream } from "./support/raw-upstream.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const timeoutMs = 1_500;
const ok = "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";
// What the upstream writes for each client id, and whether it then closes the connection.
const answers: Record<string, [string, "close"?]> = {
  "1": [ok],
  "7": ["HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"client\":"],
  "8": ["HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"client\":", "close"],
  "9": ["HTTP/1.1 103 Early Hints\r\nlink: </a.css>\r\n\r\n" + ok],
  "10": ["HTTP/1.1 999 Odd\r\ncontent-length: 0\r\n\r\n"],
  "11": ["HTTP/1.1 100 Continue\r\n\r\n"],
  "12": ["HTTP/1.1 204 No Content\r\ncontent-length: 5\r\n\r\nHELLO"],
  "13": [ok + "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n"],
  "14": ["HTTP/1.1 304 Not Modified\r\ncontent-length: 5\r\n\r\nHELLO"],
};
let upstream: ProxiedRawUpstream;
let proxy: RunningProxy;

beforeAll(async () => {
  upstream = await proxiedRawUpstream((id, socket) => {
    const [bytes, then] = answers[id] ?? [""];
    socket.write(bytes);
    if (then === "close") socket.end();
  }, timeoutMs);
  proxy = upstream.proxy;
}, 90_000);

afterAll(() => upstream?.stop());

const send = (id: string) =>
  fetch(`${proxy.url}/clients/${id}.json?api_key=upstream-test-key`).then(async (answer) => [answer.status, await answer.text()] as const);
const nextAnswered = async () => {
  for (const _ of [1, 2, 3]) expect(await send("1")).toEqual([200, ""]);
};

it("headers, part of the body, then silence while the collector runs: 504 after the timeout", async () => {
  const collecting = setInterval(gc, 100);
  try {
    expect(await send("7")).toEqual([504, `The service did not answer within ${timeoutMs} ms.`]);
  } finally {
    clearInterval(collecting);
  }
  await nextAnswered();
}, 20_000);

it("part of the body, then the connection closed: 502 with a sentence", async () => {
  const [status, text] = await send("8");
  expect(status).toBe(502);
  expect(text).toMatch(/^The conformance proxy failed: /);
  await nextAnswered();
});

it("an informational 103 before the answer: the answer is relayed", async () => {
  expect(await send("9")).toEqual([200, ""]);
  await nextAnswered();
});

it("a status of 999: 502 with a sentence", async () => {
  const [status, text] = await send("10");
  expect(status).toBe(502);
  expect(text).toMatch(/999/);
  await nextAnswered();
});

it("a 100 Continue and then silence: 504 after the timeout", async () => {
  expect(await send("11")).toEqual([504, `The service did not answer within ${timeoutMs} ms.`]);
  await nextAnswered();
}, 20_000);

it.each(["12", "14"])("a body after an answer that has none (client %s): the next requests are answered as before", async (id) => {
  const [status] = await send(id);
  expect(status).toBeGreaterThanOrEqual(200);
  await nextAnswered();
});

it("a second answer after the first: the next requests get their own answers, not the stray one", async () => {
  expect(await send("13")).toEqual([200, ""]);
  await nextAnswered();
});
