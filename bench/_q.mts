import { createInvoiceXpressClient } from "../dist/index.js";
import { interleavedRounds, median, medianRatio, startLoopbackServer } from "./measure.js";
import body from "../test/fixtures/vendor-document-body.json" with { type: "json" };
const server = await startLoopbackServer();
const ix = createInvoiceXpressClient({ baseUrl: server.url, apiKey: "k" });
const send = async (signal?: AbortSignal) => { const r = await fetch(`${server.url}/invoices/1.json?api_key=k`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal }); await r.arrayBuffer(); };
const s = await interleavedRounds({
  bare: () => send(),
  controller: async () => { const c = new AbortController(); const t = setTimeout(() => c.abort(), 30000); try { await send(c.signal); } finally { clearTimeout(t); } },
  timeout: () => send(AbortSignal.timeout(30000)),
  helper: () => ix.updateDocument("invoices", 1, body as any),
}, { rounds: 40 });
server.stop();
for (const k of Object.keys(s)) console.log(k.padEnd(12), median(s[k]!).toFixed(1), medianRatio(s[k]!, s.bare!).toFixed(3));
