// Samples the server's RSS every 100 ms for the whole run, so a short spike during an attack is seen
// even though the attack itself runs in another thread.
import { processTree, totalRssKiB } from "../test/support/processes.ts";

export class RssSampler {
  /** The RSS when the current attack began, and its highest sample since. */
  beforeKiB: number | undefined;
  peakKiB: number | undefined;
  /** Called with every sample (the RSS guard). */
  onSample: (kib: number) => void = () => {};
  /** Whether the process was seen and then vanished. */
  vanished = false;
  private readonly timer = setInterval(() => this.sample(), 100);
  private readonly pids: number[];
  private readonly withDescendants: boolean;

  constructor(pids: number[], withDescendants: boolean) {
    this.pids = pids;
    this.withDescendants = withDescendants;
  }

  /** Reads the RSS now (and feeds the peak and `onSample`); undefined when it cannot be read. */
  sample(): number | undefined {
    if (this.pids.length === 0) return undefined;
    const kib = totalRssKiB(this.withDescendants ? processTree(this.pids).map((entry) => entry.pid) : this.pids);
    this.vanished ||= kib === undefined && this.beforeKiB !== undefined;
    if (kib === undefined) return undefined;
    this.peakKiB = Math.max(this.peakKiB ?? 0, kib);
    this.onSample(kib);
    return kib;
  }

  /** Starts an attack's figures at the current RSS. */
  restart(): void {
    this.peakKiB = undefined;
    this.beforeKiB = this.sample();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
