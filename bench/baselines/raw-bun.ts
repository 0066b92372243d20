// The reference for what a user could pick instead: Bun's built-in WebSocket server, echoing.
// Run by Bun only (excluded from tsc, which knows Node's globals, not Bun's).
const server = Bun.serve({
  port: Number(process.env.PORT ?? 0),
  hostname: process.env.HOST ?? "127.0.0.1",
  fetch(request, server) {
    if (server.upgrade(request)) return undefined;
    return new Response("WebSocket only\n", { status: 426, headers: { Upgrade: "websocket" } });
  },
  websocket: {
    // The product's default MAX_MESSAGE_BYTES, so both parse frames under the same limit.
    maxPayloadLength: 1024 * 1024,
    message(socket, message) {
      socket.send(message);
    },
  },
});

console.log(JSON.stringify({ event: "listen", runtime: "raw-bun", port: server.port }));
process.on("SIGTERM", () => process.exit(0));
