// Binds the core session to Hono's WebSocket helper events (Node, Deno, Bun all speak WSEvents).
import type { WSContext, WSEvents, WSMessageReceive } from "hono/ws";
import type { AcceptedUpgrade } from "../app.ts";
import { CloseCode } from "../core/close-codes.ts";
import { openSession, stepSession, type SessionAction, type SessionEvent, type SessionRules, type SessionState } from "../core/session.ts";
import type { Logger } from "../log.ts";
import type { LiveConnections } from "./live-connections.ts";
import type { Metrics } from "./metrics.ts";

/** What every connection of a process shares. */
export interface Host {
  rules: SessionRules;
  log: Logger;
  connections: LiveConnections;
  metrics: Metrics;
  now?: () => number;
}

function toSessionEvent(data: WSMessageReceive): SessionEvent | undefined {
  if (typeof data === "string") return { kind: "text", text: data };
  if (data instanceof ArrayBuffer) return { kind: "binary", data: new Uint8Array(data) };
  if (ArrayBuffer.isView(data)) return { kind: "binary", data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  // A Blob would need an await and could reorder replies; adapters set binaryType to arraybuffer.
  return undefined;
}

function perform(ws: WSContext, actions: SessionAction[]): void {
  for (const action of actions) {
    if (action.kind === "sendText") ws.send(action.text);
    else if (action.kind === "sendBinary") ws.send(action.data as Uint8Array<ArrayBuffer>);
    else ws.close(action.code, action.reason);
  }
}

/** The WebSocket events of one accepted connection, driving the core session. */
export function sessionEvents(upgrade: AcceptedUpgrade, host: Host): WSEvents {
  const now = host.now ?? Date.now;
  const { rules, log, connections, metrics } = host;
  const where = { id: upgrade.id, path: upgrade.path, remote: upgrade.remoteAddress };
  let state: SessionState = openSession(upgrade.route, now(), rules);
  let socket: WSContext | undefined;

  const step = (event: SessionEvent, at = now()) => {
    const before = state;
    try {
      const result = stepSession(state, event, at, rules);
      state = result.state;
      metrics.messagesIn += state.messagesIn - before.messagesIn;
      metrics.bytesIn += state.bytesIn - before.bytesIn;
      metrics.messagesOut += state.messagesOut - before.messagesOut;
      metrics.bytesOut += state.bytesOut - before.bytesOut;
      if (socket) perform(socket, result.actions);
    } catch (error) {
      // A bug or a socket that died mid-send must cost this connection only, never the process.
      log.error("error", { ...where, message: error instanceof Error ? error.message : String(error) });
      socket?.close(CloseCode.internalError, "internal error");
    }
  };
  const live = {
    tick: (at: number) => step({ kind: "tick" }, at),
    close: (code: number, reason: string) => socket?.close(code, reason),
  };

  return {
    onOpen(_event, ws) {
      socket = ws;
      state = openSession(upgrade.route, now(), rules);
      connections.add(live);
      metrics.opened(upgrade.route);
      log.info("open", { ...where, protocol: upgrade.protocol });
    },
    onMessage(event, ws) {
      socket = ws;
      const sessionEvent = toSessionEvent(event.data);
      if (sessionEvent) step(sessionEvent);
    },
    onClose(event) {
      connections.delete(live);
      metrics.closed(event.code);
      log.info("close", {
        ...where,
        code: event.code,
        reason: event.reason,
        messages_in: state.messagesIn,
        messages_out: state.messagesOut,
        bytes_in: state.bytesIn,
        bytes_out: state.bytesOut,
        duration_ms: now() - state.openedAt,
      });
    },
    onError(event) {
      // Protocol errors from the peer land here (ws closes with 1002/1007/1009 itself): a client
      // mistake, so a warning without a stack. Node has no global ErrorEvent, hence no instanceof.
      const message = "message" in event && typeof event.message === "string" && event.message !== "" ? event.message : errorText(event);
      log.warn("error", { ...where, message });
    },
  };
}

function errorText(event: Event): string {
  const error = (event as Event & { error?: unknown }).error;
  return error instanceof Error ? error.message : "socket error";
}
