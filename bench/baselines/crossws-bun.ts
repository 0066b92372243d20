// Peer, for information (no target is judged on it): crossws on Bun with its Bun adapter, in front
// of Bun.serve as in raw-bun.ts. Run it with `npm run bench -- --only raw-bun,crossws-bun`.
import crossws from "crossws/adapters/bun";

const websockets = crossws({
  hooks: {
    message: (peer, message) => void peer.send(message.rawData),
  },
});

const server = Bun.serve({
  port: Number(process.env.PORT ?? 0),
  hostname: process.env.HOST ?? "127.0.0.1",
  fetch(request, server) {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("WebSocket only\n", { status: 426, headers: { Upgrade: "websocket" } });
    }
    return websockets.handleUpgrade(request, server);
  },
  // The adapter's handlers, with the product's default MAX_MESSAGE_BYTES as in raw-bun.ts.
  websocket: { ...websockets.websocket, maxPayloadLength: 1024 * 1024 },
});

console.log(JSON.stringify({ event: "listen", runtime: "crossws-bun", port: server.port }));
process.on("SIGTERM", () => process.exit(0));
