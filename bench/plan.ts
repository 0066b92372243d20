// What the runner asks of the load generator (bench/generator-c/, its flags in options.c) and the
// JSON lines the generator prints back.

/** One generator run; each field becomes a flag (`warmupMs` is `--warmup-ms`). */
export interface LoadPlan {
  /** echo: closed loop, one message in flight per connection; handshake: open and close in loops; idle: hold silent sockets. */
  mode: "echo" | "handshake" | "idle";
  host: string;
  port: number;
  path: string;
  connections?: number;
  bytes?: number;
  /** Binary frames, or text frames of ASCII letters (text exercises the UTF-8 paths). */
  frame?: "binary" | "text";
  warmupMs?: number;
  durationMs?: number;
  /** Handshakes in flight at once (handshake: its parallel loops). */
  concurrency?: number;
  /** Idle: how long to hold if the runner never says `release`. */
  holdMs?: number;
}

/** Latency percentiles in milliseconds. */
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
  /** Echoes, or open+close cycles, per second. */
  perSecond?: number;
  /** Round trips (echo) or time to open (handshake). */
  latency?: LatencySummary;
  /** Connections open at once (echo, idle) or cycles (handshake). */
  opened: number;
  /** Failed connects, wrong echoes, unexpected closes. */
  errors: number;
  firstError?: string;
  /** Echo: the generator's own CPU time in the measured window, and the window's length. */
  cpuUserMs?: number;
  cpuSystemMs?: number;
  wallMs?: number;
}

/** Echo: the measured window opens and closes, so the runner can time the server over the same window. */
export interface WindowLine {
  event: "window";
  phase: "start" | "end";
}

/** Idle: every socket is open. */
export interface HoldingLine {
  event: "holding";
  opened: number;
  errors: number;
}
