// The Bun upgrade. Bun answers with the FIRST offered subprotocol unless told otherwise, and Hono's
// `hono/bun` helper does not tell it, so `Sec-WebSocket-Protocol: superchat` would be confirmed
// against RFC 6455 §4.2.2. This calls `server.upgrade` with the protocol the app chose (or with the
// offer removed when none was chosen), and Hono's `websocket` handler object drives the events.
import type { Context } from "hono";
import { getBunServer, type BunWebSocketData } from "hono/bun";
import type { UpgradeHandler } from "../src/app.ts";
import { sessionEvents, type Host } from "../src/host/session-events.ts";

/** The upgrade handler for Bun.serve, given the process host. */
export function bunUpgrade(host: Host): UpgradeHandler {
  return (c: Context, accepted) => {
    const server = getBunServer<Bun.Server<BunWebSocketData>>(c);
    const data: BunWebSocketData = { events: sessionEvents(accepted, host), url: new URL(c.req.url), protocol: accepted.protocol ?? "" };
    const headers = accepted.protocol ? { "Sec-WebSocket-Protocol": accepted.protocol } : undefined;
    if (!accepted.protocol) c.req.raw.headers.delete("sec-websocket-protocol");
    if (server?.upgrade(c.req.raw, { data, headers })) {
      // Bun has already written the 101; this response is never sent.
      return new Response(null);
    }
    return new Response("WebSocket upgrade failed\n", { status: 400 });
  };
}
