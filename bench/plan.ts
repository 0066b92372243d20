// What the runner asks of a load generator process, and what the generator answers.
// Both sides import this file; it travels as JSON (argv in, one JSON line per event out).

/** Closed loop: every connection sends, waits for its echo, sends again. */
export interface EchoPlan {
  mode: "echo";
  url: string;
  connections: number;
  bytes: number;
  /** Binary frames, or text frames of ASCII letters (text exercises the UTF-8 paths). */
  frame: "binary" | "text";
  warmupMs: number;
  durationMs: number;
}

/** Connections opened and closed again as fast as `concurrency` parallel loops allow. */
export interface HandshakePlan {
  mode: "handshake";
  url: string;
  concurrency: number;
  durationMs: number;
}

/** Opens `connections` sockets, reports `holding`, keeps them silent until told `release`. */
export interface IdlePlan {
  mode: "idle";
  url: string;
  connections: number;
  /** Upper bound on how long to hold if the runner never says `release`. */
  holdMs: number;
}

/** One generator run. */
export type LoadPlan = EchoPlan | HandshakePlan | IdlePlan;

/** Latency percentiles in milliseconds, from a histogram recorded in microseconds. */
export interface LatencySummary {
  count: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

/** The last line a generator prints. */
export interface LoadResult {
  event: "result";
  mode: LoadPlan["mode"];
  /** Echoes per second (echo) or open+close cycles per second (handshake). */
  perSecond?: number;
  latency?: LatencySummary;
  /** Connections that were open at once (echo, idle). */
  opened: number;
  /** Failed connects, wrong echoes, unexpected closes. */
  errors: number;
  firstError?: string;
  /** Echo: which generator ran (the compiled one of bench/generator-c/, or Node + ws). */
  generator?: "c" | "node";
  /** Echo: the generator's own CPU time in the measured window, and the window's length. */
  cpuUserMs?: number;
  cpuSystemMs?: number;
  wallMs?: number;
  /** The CPUs the generator was allowed to run on ("0", "0-1"), read by the generator itself. */
  cpus?: string;
}

/**
 * Echo: printed as the measured window opens and closes (after the warm-up, before the drain), so
 * the runner can read the server's CPU time over the same window as the generator's.
 */
export interface WindowLine {
  event: "window";
  phase: "start" | "end";
}

/** Printed by an idle generator once all its sockets are open. */
export interface HoldingLine {
  event: "holding";
  opened: number;
  errors: number;
}
