// What the server did to the attacking connections, in one line: close codes, answers to refused
// handshakes, resets, FINs without a close frame, and connections still open when the attack stopped.

/** What the server did to the attackers, as a JSON-safe tally: the worker posts it to the runner as is. Keys of
 * the records are close codes, HTTP statuses or TCP error names; the counts are connections that ended without
 * a close frame (reset, or FIN) or were still open at the end. */
export class Reactions {
  closeCodes: Record<string, number> = {};
  /** Requests that did not end in an open WebSocket: the HTTP status, or ECONNRESET, timeout, ... */
  handshakeAnswers: Record<string, number> = {};
  resets = 0;
  endedWithoutCloseFrame = 0;
  openAtEnd = 0;

  /** A close code the server sent, or its answer to a handshake it did not complete. */
  count(kind: "closeCodes" | "handshakeAnswers", key: number | string): void {
    this[kind][key] = (this[kind][key] ?? 0) + 1;
  }
}

/** The tally as the worker posts it (a structured clone keeps the fields, not the method). */
export type ReactionTally = Omit<Reactions, "count">;

/** e.g. "close 1009x4, HTTP 429x12, ECONNRESETx1, reset x2, open x3" (nothing happened: "none"). */
export function describeReactions(tally: ReactionTally): string {
  const parts = [
    ...Object.entries(tally.closeCodes).map(([code, count]) => `close ${code}x${count}`),
    ...Object.entries(tally.handshakeAnswers).map(([answer, count]) => `${/^\d+$/.test(answer) ? "HTTP " : ""}${answer}x${count}`),
    ...([["reset", tally.resets], ["FIN", tally.endedWithoutCloseFrame], ["open", tally.openAtEnd]] as const).flatMap(([name, count]) => (count > 0 ? [`${name} x${count}`] : [])),
  ];
  return parts.length === 0 ? "none" : parts.join(", ");
}
