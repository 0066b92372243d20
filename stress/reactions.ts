// What the server did to the attacking connections, tallied so one line can say it: the close
// codes it sent, how it answered handshakes it did not complete, the connections it reset or simply
// ended, and the ones it still held open when the attack stopped (the server tolerated them).

/** JSON-safe tally; keys of the records are close codes, HTTP statuses or TCP error names. */
export interface ReactionTally {
  closeCodes: Record<string, number>;
  /** Requests that did not end in an open WebSocket: the HTTP status, or ECONNRESET, timeout, ... */
  handshakeAnswers: Record<string, number>;
  resets: number;
  endedWithoutCloseFrame: number;
  openAtEnd: number;
}

export class Reactions {
  readonly tally: ReactionTally = { closeCodes: {}, handshakeAnswers: {}, resets: 0, endedWithoutCloseFrame: 0, openAtEnd: 0 };

  closeFrame(code: number): void {
    bump(this.tally.closeCodes, String(code));
  }

  /** A request answered with an HTTP status (e.g. 429), or one that failed at TCP level (`ECONNRESET`, `timeout`, ...). */
  handshakeAnswer(statusOrReason: number | string): void {
    bump(this.tally.handshakeAnswers, String(statusOrReason));
  }

  reset(): void {
    this.tally.resets++;
  }

  endedWithoutCloseFrame(): void {
    this.tally.endedWithoutCloseFrame++;
  }

  openAtEnd(): void {
    this.tally.openAtEnd++;
  }
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** e.g. "close 1009x4, HTTP 429x12, ECONNRESETx1, reset x2, open x3" (nothing happened: "none"). */
export function describeReactions(tally: ReactionTally): string {
  const parts: string[] = [];
  for (const [code, count] of Object.entries(tally.closeCodes)) parts.push(`close ${code}x${count}`);
  for (const [answer, count] of Object.entries(tally.handshakeAnswers)) parts.push(`${/^\d+$/.test(answer) ? "HTTP " : ""}${answer}x${count}`);
  if (tally.resets > 0) parts.push(`reset x${tally.resets}`);
  if (tally.endedWithoutCloseFrame > 0) parts.push(`FIN x${tally.endedWithoutCloseFrame}`);
  if (tally.openAtEnd > 0) parts.push(`open x${tally.openAtEnd}`);
  return parts.length === 0 ? "none" : parts.join(", ");
}
