// Peer, for information: crossws (the most used cross-runtime WebSocket layer) on Node, echoing as its
// docs show: text stays text, binary stays binary. `npm run bench -- --only raw-ws,crossws-node`.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import crossws from "crossws/adapters/node";

const websockets = crossws({
  hooks: {
    // rawData is what the runtime delivered: a string for text, bytes for binary.
    message: (peer, message) => void peer.send(message.rawData),
  },
  // The product's default MAX_MESSAGE_BYTES, so every server parses frames under the same limit.
  serverOptions: { maxPayload: 1024 * 1024 },
});

const server = createServer((_request, response) => {
  response.writeHead(426, { Upgrade: "websocket" }).end("WebSocket only\n");
});
server.on("upgrade", (request, socket, head) => void websockets.handleUpgrade(request, socket, head));
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ event: "listen", runtime: "crossws-node", port }));
});
process.on("SIGTERM", () => process.exit(0));
