// Dead-peer detection for the ws stack (Node and Deno): ws has no built-in heartbeat, so ping every
// interval and terminate a peer whose last pong is older than the dead-peer timeout
// (docs/protocol.md#limits). Bun does this natively.
import type { WebSocket, WebSocketServer } from "ws";
import { deadPeerTimeoutMs } from "../../core/connection-end.ts";
import type { Logger } from "../../log.ts";

/** Starts pinging every client of `server`; returns the function that stops it. */
export function startHeartbeat(server: WebSocketServer, intervalS: number, log: Logger): () => void {
  if (intervalS <= 0) return () => {};
  const intervalMs = intervalS * 1000;
  const timeoutMs = deadPeerTimeoutMs(intervalS);
  const lastPongAt = new WeakMap<WebSocket, number>();
  // One listener for every socket (ws calls it with the socket as `this`), not a closure per socket.
  const recordPong = function (this: WebSocket) {
    lastPongAt.set(this, Date.now());
  };
  server.on("connection", (socket: WebSocket) => {
    lastPongAt.set(socket, Date.now());
    socket.on("pong", recordPong);
  });
  const timer = setInterval(() => {
    const now = Date.now();
    for (const socket of server.clients) {
      const silentMs = now - (lastPongAt.get(socket) ?? now);
      if (silentMs > timeoutMs) {
        log.warn("close", { reason: "heartbeat timeout", silent_ms: silentMs });
        socket.terminate();
      } else if (silentMs >= intervalMs / 2) {
        // Not a socket that opened a moment ago: "nothing is sent on open" (docs/protocol.md#the-bot), and a ping in the
        // same instant as the 101 failed the contract's seed-handshake test. Half an interval still
        // pings a live peer at every tick, however the timer drifts.
        socket.ping();
      }
    }
  }, intervalMs);
  return () => clearInterval(timer);
}
