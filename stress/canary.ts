// The canary: an ordinary client on /echo timing a small text echo every 50 ms, in the main thread away
// from the attack's worker, so its timings are the server's service, not the attack code's busyness.
import { build } from "hdr-histogram-js";
import WebSocket from "ws";

const sendEveryMs = 50;
const reconnectEveryMs = 500;
/** After the attack, how long replies still in flight may take before they count as unanswered. */
const lateReplyMs = 1000;

export interface CanaryReport {
  sent: number;
  answered: number;
  /** Messages with no echo: lost with a dropped connection, not sent because there was none, or later than 1 s after the attack. */
  unanswered: number;
  /** Round trips in milliseconds, to 0.1 ms. */
  roundTrip: { count: number; p50Ms: number; p99Ms: number; maxMs: number } | undefined;
  /** How often the canary's own connection ended or failed to open, by how ("close 1006", "handshake 503"). */
  interruptions: Record<string, number>;
}

export class Canary {
  private connection: WebSocket | undefined;
  /** Send time by sequence number, for messages not yet echoed. */
  private readonly inFlight = new Map<number, number>();
  // Microseconds from 1 us to 60 s: a multi-second stall still lands in a bucket.
  private readonly latencies = build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  private readonly report: CanaryReport = { sent: 0, answered: 0, unanswered: 0, roundTrip: undefined, interruptions: {} };
  private nextSequence = 0;
  private connecting = false;
  private lastConnectAttempt = 0;
  private stopped = false;
  private readonly ticker = setInterval(() => this.tick(), sendEveryMs);
  private readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
    this.connect();
  }

  /** Stops sending, gives replies in flight a moment, closes the connection and reports. */
  async stop(): Promise<CanaryReport> {
    clearInterval(this.ticker);
    const deadline = performance.now() + lateReplyMs;
    while (this.inFlight.size > 0 && this.connection && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    this.stopped = true;
    this.report.unanswered += this.inFlight.size;
    this.inFlight.clear();
    this.connection?.close(1000);
    this.connection?.terminate();
    // HDR percentiles are the highest value of their bucket: capped at the largest one recorded.
    const ms = (micros: number) => Math.round(Math.min(micros, this.latencies.maxValue) / 100) / 10;
    const { totalCount: count } = this.latencies;
    if (count > 0) this.report.roundTrip = { count, p50Ms: ms(this.latencies.getValueAtPercentile(50)), p99Ms: ms(this.latencies.getValueAtPercentile(99)), maxMs: ms(this.latencies.maxValue) };
    return this.report;
  }

  private tick(): void {
    this.report.sent++;
    if (!this.connection) {
      // No connection: this message could not even be sent, which is a failure of service too.
      this.report.unanswered++;
      if (!this.connecting && performance.now() - this.lastConnectAttempt >= reconnectEveryMs) this.connect();
      return;
    }
    const sequence = this.nextSequence++;
    this.inFlight.set(sequence, performance.now());
    this.connection.send(`canary ${sequence}`);
  }

  // ws answers the server's heartbeat pings itself, as a live client must (RFC 6455 §5.5.2).
  private connect(): void {
    this.connecting = true;
    this.lastConnectAttempt = performance.now();
    const socket = new WebSocket(`${this.baseUrl.replace(/^http/, "ws")}/echo`, { handshakeTimeout: 2000 });
    let refusal: string | undefined;
    socket.on("unexpected-response", (request, response) => {
      refusal = `handshake ${response.statusCode}`;
      request.destroy();
    });
    socket.on("error", (error: NodeJS.ErrnoException) => (refusal ??= `handshake ${error.code ?? "timeout"}`));
    socket.on("open", () => {
      this.connecting = false;
      if (this.stopped) return socket.terminate();
      this.connection = socket;
    });
    socket.on("message", (data) => this.echoed(Number(String(data).slice("canary ".length))));
    socket.on("close", (code) => {
      if (this.connection === socket) return this.lost(socket, `close ${code}`);
      this.connecting = false;
      if (refusal && !this.stopped) this.interrupted(refusal);
    });
  }

  private echoed(sequence: number): void {
    const sentAt = this.inFlight.get(sequence);
    if (sentAt === undefined) return;
    this.inFlight.delete(sequence);
    this.report.answered++;
    this.latencies.recordValue(Math.max(1, Math.round((performance.now() - sentAt) * 1000)));
  }

  private interrupted(how: string): void {
    this.report.interruptions[how] = (this.report.interruptions[how] ?? 0) + 1;
  }

  /** The connection is gone: what was in flight is unanswered, and the next tick reconnects. */
  private lost(connection: WebSocket, how: string): void {
    this.connection = undefined;
    connection.terminate();
    if (this.stopped) return;
    this.interrupted(how);
    this.report.unanswered += this.inFlight.size;
    this.inFlight.clear();
  }
}
