// Diagnostic: Hono's @hono/node-server upgradeWebSocket over ws and none of our code, splitting an overhead
// into "the Hono adapter" and "ours". `npm run bench -- --only raw-ws,hono-node,product-node`.
import { serve, upgradeWebSocket } from "@hono/node-server";
import { Hono } from "hono";
import { WebSocketServer } from "ws";

const app = new Hono();
app.get(
  "*",
  upgradeWebSocket(() => ({
    onMessage(event, socket) {
      socket.send(event.data as string | ArrayBuffer);
    },
  })),
);

// The same ws options as the product's Node entry.
const webSocketServer = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: process.env.HOST ?? "127.0.0.1", websocket: { server: webSocketServer } }, (info) => {
  console.log(JSON.stringify({ event: "listen", runtime: "hono-node", port: info.port }));
});
process.on("SIGTERM", () => process.exit(0));
