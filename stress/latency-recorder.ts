// Round-trip times in a fixed-size buffer: a long run cannot grow the tool's memory, it only stops
// recording (and says how many it dropped).

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export class LatencyRecorder {
  private readonly samples: Float64Array;
  private count = 0;
  dropped = 0;

  constructor(capacity: number) {
    this.samples = new Float64Array(capacity);
  }

  record(ms: number): void {
    if (this.count < this.samples.length) this.samples[this.count++] = ms;
    else this.dropped++;
  }

  /** Nearest-rank percentiles of what was recorded, or undefined when nothing was. */
  summary(): LatencySummary | undefined {
    if (this.count === 0) return undefined;
    const sorted = this.samples.slice(0, this.count).sort();
    const rank = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
    const round = (ms: number) => Math.round(ms * 10) / 10;
    return { count: this.count, p50Ms: round(rank(0.5)), p99Ms: round(rank(0.99)), maxMs: round(sorted[sorted.length - 1] ?? 0) };
  }
}
