// Preloaded into the product's Node process (NODE_OPTIONS=--import) by the bench only.
// Why: the product logs `listen` at info, so under LOG_LEVEL=warn (which the bench needs, or the
// per-connection open/close lines would dominate the handshake figures) no line tells the launcher
// which port it got. This observes the listen through Node's tracing channel without touching the
// product, and prints the line the launcher waits for. Drop it once `listen` is logged at every level.
import { subscribe } from "node:diagnostics_channel";
import type { Server } from "node:net";

subscribe("tracing:net.server.listen:asyncEnd", (message) => {
  const address = (message as { server: Server }).server.address();
  if (address && typeof address === "object") {
    console.log(JSON.stringify({ event: "listen", source: "bench-preload", port: address.port }));
  }
});
