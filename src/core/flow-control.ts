// Flow control's one vocabulary: once more than `limit` reply bytes wait to be sent on a connection,
// stop reading it, and read again once they are down to `resumeAt`. What counts the waiting bytes is
// the runtime's: a real send buffer in a process (src/host/hosted-session.ts), a model where none is
// visible (src/core/send-budget.ts, Workers).

/** When to stop reading a connection whose replies are not being read, and when to read it again. */
export interface FlowControlLimits {
  /** MAX_BUFFERED_BYTES: stop reading once more than this waits to be sent. */
  limit: number;
  /** Read again once the bytes waiting are down to this ("well below" the limit, so no flapping). */
  resumeAt: number;
}

/** The limits for a MAX_BUFFERED_BYTES, the same on every runtime. */
export function flowControlLimitsOf(maxBufferedBytes: number): FlowControlLimits {
  return { limit: maxBufferedBytes, resumeAt: Math.floor(maxBufferedBytes / 2) };
}
