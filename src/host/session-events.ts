// Binds the core session to Hono's WebSocket helper events (Node, Deno, Bun all speak WSEvents).
import type { WSContext, WSEvents, WSMessageReceive } from "hono/ws";
import type { AcceptedUpgrade } from "../app.ts";
import { openSession, stepSession, type SessionAction, type SessionEvent, type SessionRules, type SessionState } from "../core/session.ts";
import type { Logger } from "../log.ts";
import type { LiveConnections } from "./live-connections.ts";

/** What every connection of a process shares. */
export interface Host {
  rules: SessionRules;
  log: Logger;
  connections: LiveConnections;
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
  const { rules, log, connections } = host;
  const where = { id: upgrade.id, path: upgrade.path, remote: upgrade.remoteAddress };
  let state: SessionState = openSession(upgrade.route, now(), rules);
  let socket: WSContext | undefined;

  const step = (event: SessionEvent, at = now()) => {
    const result = stepSession(state, event, at, rules);
    state = result.state;
    if (socket) perform(socket, result.actions);
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
      log.info("open", { ...where, protocol: upgrade.protocol });
    },
    onMessage(event, ws) {
      socket = ws;
      const sessionEvent = toSessionEvent(event.data);
      if (sessionEvent) step(sessionEvent);
    },
    onClose(event) {
      connections.delete(live);
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
      // Node has no global ErrorEvent, so read the message without instanceof.
      const message = "message" in event && typeof event.message === "string" ? event.message : "socket error";
      log.warn("error", { ...where, message });
    },
  };
}
