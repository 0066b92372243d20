// The shape of bench/results/*.json: what the table, the chart and the README are made from.
import type { EchoGenerator } from "./generator.ts";
import type { Pinning, ServerPinning } from "./pinning.ts";
import type { LatencySummary } from "./plan.ts";

/** One run's rate and tails, where a figure is the median of several rounds. */
export interface RoundFigures {
  perSecond: number;
  p99Ms: number;
  p999Ms?: number;
  maxMs?: number;
}

/**
 * CPU time per echoed message over the measured window: the generator's (its own getrusage) and the
 * server's (its process tree, from /proc). A generator costing as much per message as the server
 * would measure itself; `generatorBusy` near 1 says it was the bottleneck.
 */
export interface CpuFigures {
  generator: "c" | "node";
  generatorUsPerMessage: number;
  /** Generator CPU time over wall time in the window (1 = one core fully busy). */
  generatorBusy: number;
  serverUsPerMessage?: number;
  serverBusy?: number;
  /** The CPUs the generator ran on, as it read them itself. */
  generatorCpus?: string;
}

/** One echo scenario on one server. */
export interface EchoFigures extends LatencySummary {
  scenario: string;
  connections: number;
  perSecond: number;
  errors: number;
  firstError?: string;
  cpu?: CpuFigures;
  rounds?: RoundFigures[];
}

/** Connections opened and cleanly closed per second. */
export interface HandshakeFigures extends LatencySummary {
  perSecond: number;
  errors: number;
  firstError?: string;
  rounds?: RoundFigures[];
}

/** Server RSS before and while holding idle connections. */
export interface IdleFigures {
  connections: number;
  rssBeforeKiB: number;
  rssAfterKiB: number;
  kibPerConnection: number;
  errors: number;
  /** KiB per connection of each round, each on a fresh process, where the figure is their median. */
  rounds?: number[];
  firstError?: string;
}

/** Everything measured on one server, or why it was not. */
export interface ServerResult {
  name: string;
  /** A peer is another project's server, shown for information: no target is judged on it. */
  kind: "product" | "baseline" | "peer";
  /** For products and peers: the baseline measured in the same run that its ratios are taken against. */
  baseline?: string;
  judged: boolean;
  status: "measured" | "skipped" | "failed";
  note?: string;
  /** Settings the server ran with (products: the limits switched off for the bench). */
  env?: Record<string, string>;
  echo: EchoFigures[];
  handshake?: HandshakeFigures;
  idle?: IdleFigures;
  /** Where the server ran: its CPU, and threads found elsewhere and pinned again. */
  pinning?: ServerPinning;
}

/** A product figure over its baseline's, and whether it meets the target. */
export interface Ratio {
  server: string;
  baseline: string;
  metric: string;
  ratio: number;
  /** Undefined where no target applies (information only). */
  target?: { limit: number; atLeast: boolean; met: boolean };
}

/** The machine the figures come from. */
export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  loadBefore: number[];
  loadAfter: number[];
  versions: Record<string, string>;
}

/** How the figures were taken: who ran where, and which program generated the echo load. */
export interface Method {
  pinning: Pinning;
  echoGenerator: EchoGenerator;
}

/** One run of the bench. */
export interface BenchResults {
  mode: "full" | "quick";
  startedAt: string;
  durationS: number;
  method?: Method;
  machine: Machine;
  productEnv: Record<string, string>;
  servers: ServerResult[];
  ratios: Ratio[];
}
