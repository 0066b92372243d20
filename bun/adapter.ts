// The Bun upgrade and WebSocket handler. Not Hono's `hono/bun` helper: Bun answers with the FIRST
// offered subprotocol unless told otherwise and the helper does not tell it (so `superchat` would be
// confirmed, against RFC 6455 §4.2.2), and it builds a WSContext and a MessageEvent for every
// message. Here the socket's data is the connection's HostedSession, driven directly.
import type { Context } from "hono";
import { getBunServer } from "hono/bun";
import type { BufferedBytesOf, UpgradeHandler } from "../src/adapter/contract.ts";
import { HostedSession, type ProcessServices } from "../src/host/hosted-session.ts";

/** The upgrade handler for Bun.serve, given what the process's connections share. */
export function bunUpgrade(services: ProcessServices): UpgradeHandler {
  return (c: Context, accepted) => {
    const server = getBunServer<Bun.Server<HostedSession>>(c);
    const headers = accepted.protocol ? { "Sec-WebSocket-Protocol": accepted.protocol } : undefined;
    // With no protocol chosen, the offer goes, so Bun has nothing to echo.
    if (!accepted.protocol) c.req.raw.headers.delete("sec-websocket-protocol");
    // Bun writes the 101 itself once fetch returns.
    if (server?.upgrade(c.req.raw, { data: new HostedSession(accepted, services), headers })) return { opened: true };
    return { opened: false, response: new Response("WebSocket upgrade failed\n", { status: 400 }) };
  };
}

/** Bun's WebSocket events, handed straight to the connection's session. */
export const sessionWebSocketHandler = {
  open: (ws) => ws.data.opened(ws),
  message: (ws, message) => ws.data.message(message),
  // Bun has answered the ping already; the pong counts against the send buffer.
  ping: (ws) => ws.data.answeredPing(),
  drain: (ws) => ws.data.drained(),
  close: (ws, code, reason) => ws.data.closed(code, reason),
} satisfies Pick<Bun.WebSocketHandler<HostedSession>, "open" | "message" | "ping" | "drain" | "close">;

/** How Bun reads a socket's unsent bytes, for flow control. */
export const bufferedBytesOfBun: BufferedBytesOf = (socket) => (socket as Bun.ServerWebSocket<HostedSession>).getBufferedAmount();
