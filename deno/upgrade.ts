// Deno's WebSocket upgrade, for a request the app has already checked (src/http/upgrade-check.ts).
//
// Not Hono's `upgradeWebSocket` from `hono/deno`: besides being deprecated, it refuses an `Upgrade`
// header that is not exactly lowercase `websocket`, and it answers with the FIRST offered subprotocol,
// even one this server does not speak. SPEC.md wants case-insensitive tokens and `chat` in any position,
// never an unoffered protocol; the app has already decided both, so this adapter only translates.
// (Deno.upgradeWebSocket itself accepts `Upgrade: WebSocket` and `Connection: keep-alive, Upgrade`.)
import type { AcceptedUpgrade } from "../src/app.ts";
import type { HostedSession } from "../src/host/hosted-session.ts";
import { DenoSessionSocket } from "./session-socket.ts";

/** Deno-specific socket settings, from the process configuration. */
export interface DenoSocketOptions {
  /** PING_INTERVAL_S; 0 turns the heartbeat off. */
  pingIntervalS: number;
}

/** Upgrades `request` to a Deno WebSocket that drives `session`, and returns the 101 response. */
export function upgradeWithDeno(request: Request, accepted: AcceptedUpgrade, session: HostedSession, options: DenoSocketOptions): Response {
  const { socket, response } = Deno.upgradeWebSocket(request, {
    // Only when the app chose one: Deno puts `protocol` in the 101 without checking the offer.
    ...(accepted.protocol === undefined ? {} : { protocol: accepted.protocol }),
    // Deno's native heartbeat: after idleTimeout/2 s without a frame it pings, and closes the peer if
    // nothing arrives in the next idleTimeout/2 s. So pings go out every PING_INTERVAL_S of silence and
    // a dead peer is dropped after two intervals, as SPEC.md says; there is no timer of our own.
    idleTimeout: 2 * options.pingIntervalS,
  });
  // Deno delivers binary messages as Blob by default; the core needs bytes synchronously, in order.
  socket.binaryType = "arraybuffer";

  const sessionSocket = new DenoSessionSocket(socket);
  socket.onopen = () => session.opened(sessionSocket);
  socket.onmessage = (event: MessageEvent<string | ArrayBuffer>) => session.message(event.data);
  socket.onclose = (event) => {
    const { code, reason } = sessionSocket.reportedClose(event);
    session.closed(code, reason);
  };
  socket.onerror = (event) => session.failed(event instanceof ErrorEvent && event.message !== "" ? event.message : "socket error");
  return response;
}
