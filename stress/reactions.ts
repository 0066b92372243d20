// What the server did to the attacking connections, in one line: close codes, answers to refused
// handshakes, resets, FINs without a close frame, and connections still open when the attack stopped.

/** JSON-safe tally; keys of the records are close codes, HTTP statuses or TCP error names. */
export interface ReactionTally {
  closeCodes: Record<string, number>;
  /** Requests that did not end in an open WebSocket: the HTTP status, or ECONNRESET, timeout, ... */
  handshakeAnswers: Record<string, number>;
  resets: number;
  endedWithoutCloseFrame: number;
  openAtEnd: number;
}

export const emptyTally = (): ReactionTally => ({ closeCodes: {}, handshakeAnswers: {}, resets: 0, endedWithoutCloseFrame: 0, openAtEnd: 0 });

export class Reactions {
  readonly tally = emptyTally();

  /** A close code the server sent, or its answer to a handshake it did not complete (an HTTP status, or `ECONNRESET`, `timeout`, ...). */
  count(kind: "closeCodes" | "handshakeAnswers", key: number | string): void {
    this.tally[kind][key] = (this.tally[kind][key] ?? 0) + 1;
  }

  /** A connection that ended without a close frame: reset, or FIN; or one still open at the end. */
  ended(how: "resets" | "endedWithoutCloseFrame" | "openAtEnd"): void {
    this.tally[how]++;
  }
}

/** e.g. "close 1009x4, HTTP 429x12, ECONNRESETx1, reset x2, open x3" (nothing happened: "none"). */
export function describeReactions(tally: ReactionTally): string {
  const parts = [
    ...Object.entries(tally.closeCodes).map(([code, count]) => `close ${code}x${count}`),
    ...Object.entries(tally.handshakeAnswers).map(([answer, count]) => `${/^\d+$/.test(answer) ? "HTTP " : ""}${answer}x${count}`),
    ...([["reset", tally.resets], ["FIN", tally.endedWithoutCloseFrame], ["open", tally.openAtEnd]] as const).flatMap(([name, count]) => (count > 0 ? [`${name} x${count}`] : [])),
  ];
  return parts.length === 0 ? "none" : parts.join(", ");
}
