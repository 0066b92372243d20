// Hono's WebSocket helper events (WSEvents) for a hosted session: the shape Deno's adapter and
// Hono's helpers speak. Runtimes with a leaner event API drive HostedSession directly (Bun).
import type { WSEvents } from "hono/ws";
import type { AcceptedUpgrade } from "../app.ts";
import { HostedSession, type Host } from "./hosted-session.ts";

export type { Host } from "./hosted-session.ts";

/** The WebSocket events of one accepted connection, driving the core session. */
export function sessionEvents(upgrade: AcceptedUpgrade, host: Host): WSEvents {
  const session = new HostedSession(upgrade, host);
  return {
    onOpen: (_event, ws) => session.opened(ws),
    onMessage: (event, ws) => {
      const { data } = event;
      // A Blob would need an await and could reorder replies; adapters set binaryType to arraybuffer.
      if (typeof data === "string" || data instanceof ArrayBuffer || ArrayBuffer.isView(data)) session.message(data);
      else ws.close(1003, "unsupported data");
    },
    onClose: (event) => session.closed(event.code, event.reason),
    // Node has no global ErrorEvent, so the message is read without instanceof.
    onError: (event) => session.failed(errorText(event)),
  };
}

function errorText(event: Event): string {
  const { message, error } = event as Event & { message?: unknown; error?: unknown };
  if (typeof message === "string" && message !== "") return message;
  return error instanceof Error ? error.message : "socket error";
}
