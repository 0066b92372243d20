// Samples the server's RSS every 100 ms for the whole run, so a short spike during an attack is
// seen even though the attack itself runs in another thread.
import { processTree, totalRssKiB } from "../test/support/processes.ts";

const sampleEveryMs = 100;

/** The RSS seen from one moment on: where it started and the highest sample since. */
export interface RssWindow {
  beforeKiB: number | undefined;
  peakKiB: number | undefined;
}

/** Reads the server's RSS on a timer; `watch` opens a window that records the peak. */
export class RssSampler {
  private readonly pids: number[];
  private readonly includeDescendants: boolean;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly windows = new Set<RssWindow>();
  private readonly listeners = new Set<(kib: number) => void>();
  /** Whether the process was seen and then vanished. */
  vanished = false;
  private seen = false;

  constructor(pids: number[], includeDescendants: boolean) {
    this.pids = pids;
    this.includeDescendants = includeDescendants;
    this.timer = setInterval(() => this.sample(), sampleEveryMs);
  }

  /** Reads the RSS now (and feeds the open windows); undefined when it cannot be read. */
  sample(): number | undefined {
    if (this.pids.length === 0) return undefined;
    const kib = totalRssKiB(this.includeDescendants ? processTree(this.pids).map((entry) => entry.pid) : this.pids);
    if (kib === undefined) {
      if (this.seen) this.vanished = true;
      return undefined;
    }
    this.seen = true;
    for (const window of this.windows) window.peakKiB = Math.max(window.peakKiB ?? 0, kib);
    for (const listener of this.listeners) listener(kib);
    return kib;
  }

  /** Starts a window at the current RSS; call `close` on the result to stop tracking its peak. */
  watch(): { window: RssWindow; close: () => void } {
    const before = this.sample();
    const window: RssWindow = { beforeKiB: before, peakKiB: before };
    this.windows.add(window);
    return { window, close: () => this.windows.delete(window) };
  }

  /** Calls `listener` with every sample until the returned function is called. */
  onSample(listener: (kib: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
