// The one policy of both drivers of a session, whatever keeps its state (an object in a process:
// src/host/hosted-session.ts; the socket's attachment in a Durable Object: worker/connection-object.ts):
// what a failure costs, and what the close line says.
import { closeLogCounters } from "../core/connection-end.ts";
import { CloseCode } from "../core/close-codes.ts";
import type { SessionSocket, SessionState } from "../core/session.ts";
import type { Logger } from "../log.ts";
import type { AcceptedUpgrade } from "./contract.ts";

/** The fields that say which connection a log line is about. */
export interface ConnectionFields {
  id: string;
  path: string;
  remote: string | undefined;
}

/** The log fields of an accepted upgrade's connection. */
export function connectionFields(upgrade: AcceptedUpgrade): ConnectionFields {
  return { id: upgrade.id, path: upgrade.path, remote: upgrade.remoteAddress };
}

/** One error line about a connection. Never throws: a log that fails (stdout gone) has nothing left to tell. */
export function logConnectionError(log: Logger, connection: ConnectionFields, error: unknown): void {
  try {
    log.error("error", { ...connection, message: error instanceof Error ? error.message : String(error) });
  } catch {
    // Nothing left to tell.
  }
}

/**
 * A throw in the core (a bug, or a socket that died mid-send) costs that connection only: one error
 * line, then a close with 1011 (RFC 6455 §7.4.1), after which the session ignores what still arrives.
 * Never throws: it runs inside the runtime's socket events, where a throw would reach its frame
 * parser, fail the event, or end the process.
 */
export function closeAfterCoreFailure(socket: SessionSocket, state: SessionState, log: Logger, connection: ConnectionFields, error: unknown): void {
  state.closing = true;
  logConnectionError(log, connection, error);
  try {
    socket.close(CloseCode.internalError, "internal error");
  } catch (closeError) {
    logConnectionError(log, connection, closeError);
  }
}

/** The close line of a connection, the same on every runtime (docs/protocol.md#logs). */
export function logClose(log: Logger, connection: ConnectionFields, code: number, reason: string, session: SessionState, pausedMs: number, now: number): void {
  log.info("close", { ...connection, code, reason, ...closeLogCounters(session, pausedMs, now) });
}
