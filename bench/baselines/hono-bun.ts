// Diagnostic: one Hono route in front of Bun's server.upgrade and none of our code, splitting an overhead
// into "a Hono app routes the upgrade" and "ours". `npm run bench -- --only raw-bun,hono-bun,product-bun`.
import { Hono } from "hono";
import { getBunServer } from "hono/bun";

const app = new Hono();
app.get("*", (c) => {
  if (getBunServer<Bun.Server<undefined>>(c)?.upgrade(c.req.raw)) return new Response(null);
  return c.text("WebSocket only\n", 426, { Upgrade: "websocket" });
});

const server = Bun.serve({
  port: Number(process.env.PORT ?? 0),
  hostname: process.env.HOST ?? "127.0.0.1",
  fetch: app.fetch,
  websocket: {
    // The product's default MAX_MESSAGE_BYTES, as in raw-bun.ts.
    maxPayloadLength: 1024 * 1024,
    message(socket, message) {
      socket.send(message);
    },
  },
});

console.log(JSON.stringify({ event: "listen", runtime: "hono-bun", port: server.port }));
process.on("SIGTERM", () => process.exit(0));
