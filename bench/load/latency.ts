// Round-trip times go into an HDR histogram in microseconds: exact enough at the low end, and a
// multi-second stall still lands in a bucket instead of being clipped.
import { build, type Histogram } from "hdr-histogram-js";
import type { LatencySummary } from "../plan.ts";

/** A histogram for values from 1 µs to 60 s, 3 significant digits. */
export function latencyHistogram(): Histogram {
  return build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
}

/** Records the time since `startedAt` (a performance.now() value) in microseconds. */
export function recordSince(histogram: Histogram, startedAt: number): void {
  histogram.recordValue(Math.max(1, Math.round((performance.now() - startedAt) * 1000)));
}

/** p50, p90, p99, p99.9 and max in milliseconds. */
export function summarise(histogram: Histogram): LatencySummary {
  const ms = (microseconds: number) => Math.round(microseconds) / 1000;
  return {
    count: histogram.totalCount,
    p50Ms: ms(histogram.getValueAtPercentile(50)),
    p90Ms: ms(histogram.getValueAtPercentile(90)),
    p99Ms: ms(histogram.getValueAtPercentile(99)),
    p999Ms: ms(histogram.getValueAtPercentile(99.9)),
    maxMs: ms(histogram.maxValue),
  };
}
