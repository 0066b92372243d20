// Baseline for the Node and Deno products (both serve with node:http + ws): ws's own server as a user
// would write it, run by Node (raw-ws) and Deno (raw-ws-deno), echoing every message as it came.
import { WebSocketServer, type AddressInfo } from "ws";

const server = new WebSocketServer({
  port: Number(process.env.PORT ?? 0),
  host: process.env.HOST ?? "127.0.0.1",
  // The product's default MAX_MESSAGE_BYTES, so both parse frames under the same limit.
  maxPayload: 1024 * 1024,
});

server.on("connection", (socket) => {
  socket.on("message", (data, isBinary) => socket.send(data, { binary: isBinary }));
  socket.on("error", () => socket.terminate());
});

server.on("listening", () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ event: "listen", runtime: "Deno" in globalThis ? "raw-ws-deno" : "raw-ws", port }));
});

process.on("SIGTERM", () => process.exit(0));
