// Samples the server's RSS every 100 ms for the whole run, so a short spike during an attack is seen
// even though the attack itself runs in another thread.
import { processTree, totalRssKiB } from "../test/support/processes.ts";

/** The RSS seen from one moment on: where it started and the highest sample since. */
export interface RssWindow {
  beforeKiB: number | undefined;
  peakKiB: number | undefined;
}

export class RssSampler {
  private readonly timer = setInterval(() => this.sample(), 100);
  private readonly windows = new Set<RssWindow>();
  private readonly listeners = new Set<(kib: number) => void>();
  private readonly pids: number[];
  private readonly withDescendants: boolean;
  /** Whether the process was seen and then vanished. */
  vanished = false;
  private seen = false;

  constructor(pids: number[], withDescendants: boolean) {
    this.pids = pids;
    this.withDescendants = withDescendants;
  }

  /** Reads the RSS now (and feeds the open windows and listeners); undefined when it cannot be read. */
  sample(): number | undefined {
    if (this.pids.length === 0) return undefined;
    const kib = totalRssKiB(this.withDescendants ? processTree(this.pids).map((entry) => entry.pid) : this.pids);
    this.vanished ||= this.seen && kib === undefined;
    if (kib === undefined) return undefined;
    this.seen = true;
    for (const window of this.windows) window.peakKiB = Math.max(window.peakKiB ?? 0, kib);
    for (const listener of this.listeners) listener(kib);
    return kib;
  }

  /** Starts a window at the current RSS; `close` stops tracking its peak. */
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
