// Diagnostic: one Hono route in front of ws's handleUpgrade on node:http and none of our code, the
// Fetch objects Hono answers with included (on Node they load undici). It splits an overhead into "a
// Hono app routes the upgrade" and "ours": `npm run bench -- --only raw-ws,hono-ws,product-node`.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { Hono } from "hono";
import { WebSocketServer } from "ws";

// The same ws options as raw-ws.ts.
const webSocketServer = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
type Upgrade = { incoming: IncomingMessage; socket: Duplex; head: Buffer };

const app = new Hono<{ Bindings: Upgrade }>();
app.get("*", (c) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") return c.text("WebSocket only\n", 426);
  const { incoming, socket, head } = c.env;
  webSocketServer.handleUpgrade(incoming, socket, head, (ws) => {
    ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary }));
    ws.on("error", () => ws.terminate());
  });
  return new Response(null);
});

const server = createServer();
server.on("upgrade", (incoming: IncomingMessage, socket: Duplex, head: Buffer) => {
  const headers = new Headers();
  for (let i = 0; i + 1 < incoming.rawHeaders.length; i += 2) headers.append(incoming.rawHeaders[i]!, incoming.rawHeaders[i + 1]!);
  void app.fetch(new Request(`http://${incoming.headers.host ?? "localhost"}${incoming.url ?? "/"}`, { headers }), { incoming, socket, head });
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? "127.0.0.1", () => {
  console.log(JSON.stringify({ event: "listen", runtime: "hono-ws", port: (server.address() as AddressInfo).port }));
});
process.on("SIGTERM", () => process.exit(0));
