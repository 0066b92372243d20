// Deno's WebSocket upgrade, for a request the app has already checked (src/http/upgrade-check.ts).
//
// Not Hono's `upgradeWebSocket` from `hono/deno`: besides being deprecated, it refuses an `Upgrade`
// header that is not exactly lowercase `websocket`, and it answers with the FIRST offered subprotocol,
// even one this server does not speak. SPEC.md wants case-insensitive tokens and `chat` in any position,
// never an unoffered protocol; the app has already decided both, so this adapter only translates.
// (Deno.upgradeWebSocket itself accepts `Upgrade: WebSocket` and `Connection: keep-alive, Upgrade`.)
import { WSContext, type WSEvents, type WSReadyState } from "hono/ws";
import type { AcceptedUpgrade } from "../src/app.ts";
import { closeWhenFlushed } from "./close-when-flushed.ts";

/** Deno-specific socket settings, from the process configuration. */
export interface DenoSocketOptions {
  /** PING_INTERVAL_S; 0 turns the heartbeat off. */
  pingIntervalS: number;
}

/** Upgrades `request` to a Deno WebSocket driven by `events`, and returns the 101 response. */
export function upgradeWithDeno(request: Request, accepted: AcceptedUpgrade, events: WSEvents<WebSocket>, options: DenoSocketOptions): Response {
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

  let closedWith: { code: number; reason: string } | undefined;
  const ws = new WSContext<WebSocket>({
    raw: socket,
    protocol: accepted.protocol ?? null,
    url: request.url,
    get readyState() {
      return socket.readyState as WSReadyState;
    },
    send: (data) => socket.send(data),
    close: (code = 1000, reason = "") => {
      closedWith ??= { code, reason };
      closeWhenFlushed(socket, code, reason);
    },
  });
  socket.onopen = (event) => events.onOpen?.(event, ws);
  socket.onmessage = (event) => events.onMessage?.(event, ws);
  socket.onclose = (event) => events.onClose?.(reportedClose(event, closedWith), ws);
  socket.onerror = (event) => events.onError?.(event, ws);
  return response;
}

/**
 * The close as logs and metrics should see it. Deno 2.9 fires `close` with code 0 (not a close code at
 * all) when the server started the close, so report the code we sent; 0 without one of ours is a drop.
 */
function reportedClose(event: CloseEvent, closedWith: { code: number; reason: string } | undefined): CloseEvent {
  if (event.code !== 0) return event;
  const { code, reason } = closedWith ?? { code: 1006, reason: "" };
  return new CloseEvent("close", { code, reason, wasClean: closedWith !== undefined });
}
