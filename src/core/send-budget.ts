// Flow control for a runtime that cannot see its send buffer. A Durable Object's WebSocket has no
// `bufferedAmount` (cloudflare/workerd#988) and workerd queues every send() in memory until the peer
// reads it, so the object keeps a model instead: the reply bytes it sent, drained at the slowest read
// rate it assumes of a client (a leaky bucket). Once the model counts more than MAX_BUFFERED_BYTES
// unsent, the object stops reading the connection until the model is down to half of that, as the
// process runtimes do with their real buffer. Plain numbers, so the model lives in the socket's
// attachment through hibernation.
import { flowControlLimitsOf, type FlowControlLimits } from "./flow-control.ts";

/** The modelled unsent replies of one connection. */
export interface SendBudget {
  /** Reply bytes the model still counts as waiting to be read by the client. */
  unsentBytes: number;
  /** Epoch milliseconds at which `unsentBytes` was last brought up to date. */
  countedAt: number;
}

/** Flow control with modelled bytes waiting: the limits, and how the model drains. */
export interface ModelledFlowControl extends FlowControlLimits {
  /** The read rate assumed of every client, in bytes per second. */
  drainBytesPerSecond: number;
}

/**
 * The rules for a MAX_BUFFERED_BYTES: a client is assumed to read at least one full buffer a second.
 * That rate is also what a client that never reads can make the server hold, per second, for as long
 * as it keeps sending: one setting bounds both (docs/security.md#slow-readers-on-workers).
 */
export function modelledFlowControlOf(maxBufferedBytes: number): ModelledFlowControl {
  return { ...flowControlLimitsOf(maxBufferedBytes), drainBytesPerSecond: maxBufferedBytes };
}

/** The model of a connection that has sent nothing yet. */
export function emptySendBudget(now: number): SendBudget {
  return { unsentBytes: 0, countedAt: now };
}

function drain(budget: SendBudget, now: number, rules: ModelledFlowControl): void {
  const elapsedSeconds = Math.max(0, now - budget.countedAt) / 1000;
  budget.unsentBytes = Math.max(0, budget.unsentBytes - elapsedSeconds * rules.drainBytesPerSecond);
  budget.countedAt = Math.max(budget.countedAt, now);
}

/**
 * Counts `bytes` of replies sent at `now` (in place) and returns how many milliseconds to stop reading
 * the connection: 0 while the model is within the limit, otherwise the time it takes to drain to
 * `resumeAt`. A reply is never held back; the one that crosses the limit is counted whole.
 */
export function chargeReplies(budget: SendBudget, bytes: number, now: number, rules: ModelledFlowControl): number {
  drain(budget, now, rules);
  budget.unsentBytes += bytes;
  if (budget.unsentBytes <= rules.limit) return 0;
  return Math.ceil(((budget.unsentBytes - rules.resumeAt) / rules.drainBytesPerSecond) * 1000);
}
