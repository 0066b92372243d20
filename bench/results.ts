// The shape of bench/results/*.json: what the table, the chart and the docs are made from.
import type { EchoGenerator, LatencySummary } from "./generator.ts";
import type { describeMachine } from "./machine.ts";
import type { Pinning, ServerPinning } from "./pinning.ts";

/** CPU per echo in the window, the generator's (getrusage) and the server's (/proc); `generatorBusy` near 1: the generator set the pace. */
export interface CpuFigures {
  generator: "c" | "node";
  generatorUsPerMessage: number;
  generatorBusy: number;
  serverUsPerMessage?: number;
  serverBusy?: number;
  /** The CPUs the generator was allowed to run on. */
  generatorCpus?: string;
}

/** The figures of every measurement that counts messages or cycles. */
interface CountedFigures extends LatencySummary {
  perSecond: number;
  errors: number;
  firstError?: string;
  /** Each round's rate, tails and server CPU per message, where a figure is the median of several rounds. */
  rounds?: { perSecond: number; p99Ms: number; p999Ms?: number; maxMs?: number; serverUsPerMessage?: number }[];
}

/** One echo scenario on one server. */
export interface EchoFigures extends CountedFigures {
  scenario: string;
  connections: number;
  cpu?: CpuFigures;
}

/** Connections opened and cleanly closed per second; latency is the time to open. */
export type HandshakeFigures = CountedFigures;

/** Server RSS before and while holding idle connections; `rounds`: KiB per connection of each round. */
export interface IdleFigures {
  connections: number;
  rssBeforeKiB: number;
  rssAfterKiB: number;
  kibPerConnection: number;
  errors: number;
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
  pinning?: ServerPinning;
}

/**
 * A product figure over its baseline's: the median of the rounds' ratios (each round pairs the two
 * servers' turns), their lowest and highest, and the target it meets or not (none: information only).
 */
export interface Ratio {
  server: string;
  baseline: string;
  metric: string;
  ratio: number;
  /** The lowest and highest ratio of a round; absent with one round. */
  spread?: [number, number];
  /**
   * `met` judges the median ratio; `clear` says whether every round's ratio meets the target too, so
   * that the spread of the rounds is not what decides it.
   */
  target?: { limit: number; atLeast: boolean; met: boolean; clear: boolean };
}

/** How the figures were taken: who ran where, and which program generated the load. */
export interface Method {
  pinning: Pinning;
  echoGenerator: EchoGenerator;
  /** Set in every server's environment for the echo measurements (bench/measure-server.ts). */
  echoEnv?: Record<string, string>;
}

/** One run of the bench. */
export interface BenchResults {
  mode: "full" | "quick";
  startedAt: string;
  durationS: number;
  method?: Method;
  /** The machine the figures come from. */
  machine: ReturnType<typeof describeMachine>;
  productEnv: Record<string, string>;
  servers: ServerResult[];
  ratios: Ratio[];
}
