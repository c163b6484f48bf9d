// The benchmark's HTTP server, run in a process of its own so that its work
// is not timed as the client's: answers an update with an empty 200, and a
// create with 201 and a small draft, as the service does.
import { createServer } from "node:http";

const created = JSON.stringify({ invoice: { id: 1, status: "draft", sequence_number: "rascunho" } });
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () =>
    req.method === "POST"
      ? res.writeHead(201, { "content-type": "application/json", "content-length": Buffer.byteLength(created) }).end(created)
      : res.writeHead(200, { "content-length": "0" }).end(),
  );
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.send?.({ port: typeof address === "object" && address ? address.port : 0 });
});
process.on("disconnect", () => server.close(() => process.exit(0)));
