// How a connection ends, the same in a long-lived process and in a Durable Object: how long a peer that
// has gone quiet is given before it is dropped, and what the close log says about its traffic.
import type { SessionState } from "./session.ts";

/**
 * How long a peer may stay silent to our pings, stay paused without reading, or leave our close
 * unanswered before it is dropped: two ping intervals, or 60 s when the heartbeat is off
 * (docs/protocol.md#limits).
 */
export function deadPeerTimeoutMs(pingIntervalS: number): number {
  return (pingIntervalS > 0 ? 2 * pingIntervalS : 60) * 1000;
}

/** The traffic fields of a connection's close log line (docs/protocol.md#logs). */
export function closeLogCounters(session: SessionState, pausedMs: number, now: number) {
  return {
    messages_in: session.messagesIn,
    messages_out: session.messagesOut,
    bytes_in: session.bytesIn,
    bytes_out: session.bytesOut,
    paused_ms: pausedMs,
    duration_ms: now - session.openedAt,
  };
}
