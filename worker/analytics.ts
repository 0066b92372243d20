// The counts an operator sees on Workers, through Workers Analytics Engine: one data point per
// opened, refused and closed connection (docs/workers.md has the columns and the queries).
// Each is written where the Worker or the connection's object runs anyway, so nothing wakes a
// hibernating object to count; messages and bytes come as totals with the close.
import type { AcceptedUpgrade } from "../src/adapter/contract.ts";
import type { closeLogCounters } from "../src/core/connection-end.ts";
import type { Refusal } from "../src/http/upgrade-check.ts";

/** A connection's traffic, as its close log line reports it. */
type ConnectionTotals = ReturnType<typeof closeLogCounters>;

// The columns, in order: blob1 event, blob2 path, blob3 the refusal's reason or who closed first
// ("server", "client", or "error" for a failed socket; a peer's close reason is its own text, not a label); double1 the HTTP status or close code,
// double2-6 the totals. The path is the index (the sampling key): it has few values, every one wanted.
function write(env: Env, event: "open" | "refuse" | "close", path: string, reason: string, code: number, totals?: ConnectionTotals): void {
  const doubles = [code];
  if (totals) doubles.push(totals.messages_in, totals.messages_out, totals.bytes_in, totals.bytes_out, totals.duration_ms);
  env.ANALYTICS.writeDataPoint({ indexes: [path], blobs: [event, path, reason], doubles });
}

/** A connection accepted by its object. */
export function countOpen(env: Env, upgrade: AcceptedUpgrade): void {
  write(env, "open", upgrade.path, "", 101);
}

/** An upgrade refused by the Worker, with the refusal's reason and status. */
export function countRefusal(env: Env, path: string, refusal: Refusal): void {
  write(env, "refuse", path, refusal.reason, refusal.status);
}

/** A connection that ended, with the code it ended with, which side closed first, and its totals. */
export function countClose(env: Env, upgrade: AcceptedUpgrade, code: number, closedFirst: "server" | "client" | "error", totals: ConnectionTotals): void {
  write(env, "close", upgrade.path, closedFirst, code, totals);
}
