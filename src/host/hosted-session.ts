// One connection of a long-lived process, driving the core session: the runtime tells it what
// happened (opened, message, closed), the core answers on the socket, and this keeps the process's
// registry and metrics. A class, so a process with 10,000 idle connections holds 10,000
// small objects rather than 10,000 sets of closures.
import type { AcceptedUpgrade } from "../app.ts";
import { CloseCode } from "../core/close-codes.ts";
import { closeLogCounters } from "../core/connection-end.ts";
import type { StepClock } from "../core/step-clock.ts";
import { checkIdle, openSession, receiveMessage, type Message, type SessionRules, type SessionSocket, type SessionState } from "../core/session.ts";
import type { Logger } from "../log.ts";
import type { LiveConnection, LiveConnections, OverLimit } from "./live-connections.ts";
import type { Metrics } from "./metrics.ts";

/**
 * The socket a hosted session drives: the core's send and close, and control over reading, which
 * flow control needs. A `ws` WebSocket and Bun's ServerWebSocket both fit as they are.
 */
export interface HostedSocket extends SessionSocket {
  /** Stops reading from the connection: TCP then pushes back on the client. */
  pause(): void;
  resume(): void;
  /** Drops the connection at once, without a close handshake. */
  terminate(): void;
}

/** Flow control of a process: when to stop reading a connection whose replies are not being read. */
export interface SendBufferRules {
  /** MAX_BUFFERED_BYTES: stop reading once more than this is waiting to be sent. */
  limit: number;
  /** Read again once the unsent bytes are down to this ("well below" the limit, so no flapping). */
  resumeAt: number;
  /** A connection paused this long without draining has stopped reading for good: terminated. */
  stallMs: number;
  /** The bytes handed to this runtime's send() and not yet written to the OS. */
  bytesOf(socket: HostedSocket): number;
}

/** What every connection of a process shares. */
export interface Host {
  rules: SessionRules;
  /** The time of the step under way, shared by every connection: steps never interleave in a process. */
  clock: StepClock;
  sendBuffer: SendBufferRules;
  log: Logger;
  connections: LiveConnections;
  metrics: Metrics;
}

/** One connection's session, from open to close. */
export class HostedSession implements LiveConnection {
  // The upgrade's fields, not the upgrade object: one object less per connection for as long as it lives.
  readonly #id: string;
  readonly #path: string;
  readonly #protocol: string | undefined;
  readonly #remoteAddress: string | undefined;
  readonly #host: Host;
  #state: SessionState;
  #socket: HostedSocket | undefined;
  /** When flow control stopped reading this connection; 0 while it is read. */
  #pausedAt = 0;
  /** How long flow control has stopped reading this connection in all, before the current pause. */
  #pausedMs = 0;

  constructor(upgrade: AcceptedUpgrade, host: Host) {
    this.#id = upgrade.id;
    this.#path = upgrade.path;
    this.#protocol = upgrade.protocol;
    this.#remoteAddress = upgrade.remoteAddress;
    this.#host = host;
    this.#state = openSession(upgrade.route, Date.now(), host.rules);
  }

  /** The socket is open: nothing is sent (docs/protocol.md#the-bot), the connection is counted and logged. */
  opened(socket: HostedSocket): void {
    this.#socket = socket;
    this.#guarded(() => {
      const { route } = this.#state;
      this.#state = openSession(route, Date.now(), this.#host.rules);
      const overLimit = this.#host.connections.admit(this, this.#remoteAddress);
      if (overLimit) return this.#refuseOpened(socket, overLimit);
      this.#host.metrics.opened(route);
      this.#host.log.info("open", { ...this.#where(), protocol: this.#protocol });
    });
  }

  /** Over a connection limit after all (upgrades that raced past the app's check): 1013, try later. */
  #refuseOpened(socket: HostedSocket, overLimit: OverLimit): void {
    this.#state.closing = true;
    this.#host.metrics.refused(overLimit);
    this.#host.log.info("reject", { ...this.#where(), code: CloseCode.tryAgainLater, reason: overLimit });
    socket.close(CloseCode.tryAgainLater, overLimit === "capacity" ? "too many connections" : "too many connections from your address");
  }

  /**
   * A message as the runtime delivered it: text, Deno's ArrayBuffer, Node's and Bun's Buffer. It goes to
   * the core and back to send as it is: no view on top (and never `.buffer`, which makes JSC copy a
   * small array out of its GC heap).
   */
  message(data: Message): void {
    const socket = this.#socket;
    if (!socket) return;
    const state = this.#state;
    const { messagesIn, bytesIn, messagesOut, bytesOut } = state;
    try {
      receiveMessage(state, data, this.#host.clock, this.#host.rules, socket);
    } catch (error) {
      this.#stepFailed(socket, error);
    }
    const metrics = this.#host.metrics;
    metrics.messagesIn += state.messagesIn - messagesIn;
    metrics.bytesIn += state.bytesIn - bytesIn;
    metrics.messagesOut += state.messagesOut - messagesOut;
    metrics.bytesOut += state.bytesOut - bytesOut;
    this.#limitSendBuffer(socket);
  }

  /** The runtime answered a ping with a pong of its own: that queues bytes too. */
  answeredPing(): void {
    if (this.#socket) this.#limitSendBuffer(this.#socket);
  }

  /** The runtime has written queued bytes out: read again once little is left. */
  drained(): void {
    const socket = this.#socket;
    if (this.#pausedAt === 0 || !socket) return;
    if (this.#host.sendBuffer.bytesOf(socket) > this.#host.sendBuffer.resumeAt) return;
    this.#pausedMs += Date.now() - this.#pausedAt;
    this.#pausedAt = 0;
    this.#host.metrics.pausedConnections -= 1;
    this.#guarded(() => socket.resume());
  }

  /** Unsent bytes of this connection, for /metrics. */
  bufferedBytes(): number {
    return this.#socket ? this.#host.sendBuffer.bytesOf(this.#socket) : 0;
  }

  /**
   * Flow control (docs/protocol.md#limits): once more than MAX_BUFFERED_BYTES of replies wait,
   * stop reading, so the client's own TCP window fills and it cannot send what would need replies.
   * Nothing is dropped and nothing is closed; the runtime's drain event resumes it.
   */
  #limitSendBuffer(socket: HostedSocket): void {
    if (this.#pausedAt !== 0 || this.#host.sendBuffer.bytesOf(socket) <= this.#host.sendBuffer.limit) return;
    this.#pausedAt = Date.now();
    this.#host.metrics.pausedConnections += 1;
    this.#host.metrics.pauses += 1;
    this.#guarded(() => socket.pause());
  }

  /** The connection is gone (after a close handshake or a drop): `code` is what the runtime reports. */
  closed(code: number, reason: string): void {
    const state = this.#state;
    this.#host.connections.delete(this, this.#remoteAddress);
    const now = Date.now();
    if (this.#pausedAt !== 0) {
      this.#pausedMs += now - this.#pausedAt;
      this.#pausedAt = 0;
      this.#host.metrics.pausedConnections -= 1;
    }
    this.#guarded(() => {
      this.#host.metrics.closed(code);
      this.#host.log.info("close", { ...this.#where(), code, reason, ...closeLogCounters(state, this.#pausedMs, now) });
    });
  }

  /** A socket error: usually the peer's protocol error, which the runtime answers itself. */
  failed(message: string): void {
    this.#guarded(() => this.#host.log.warn("error", { ...this.#where(), message }));
  }

  tick(now: number): void {
    const socket = this.#socket;
    if (!socket) return;
    if (this.#pausedAt !== 0 && now - this.#pausedAt > this.#host.sendBuffer.stallMs) return this.#terminateStalled(socket, now);
    try {
      checkIdle(this.#state, now, this.#host.rules, socket);
    } catch (error) {
      this.#stepFailed(socket, error);
    }
  }

  close(code: number, reason: string): void {
    this.#socket?.close(code, reason);
  }

  /**
   * A client that stopped reading for good: a close frame would wait behind the replies it does not
   * read, so the connection is dropped, and its buffer with it.
   */
  #terminateStalled(socket: HostedSocket, now: number): void {
    this.#host.metrics.stalledTerminations += 1;
    this.#guarded(() => {
      this.#host.log.warn("close", { ...this.#where(), reason: "send buffer stalled", paused_ms: now - this.#pausedAt, buffered_bytes: this.bufferedBytes() });
      socket.terminate();
    });
  }

  /** A bug, or a socket that died mid-send, must cost this connection only, never the process. */
  #stepFailed(socket: SessionSocket, error: unknown): void {
    this.#logError(error);
    this.#guarded(() => socket.close(CloseCode.internalError, "internal error"));
  }

  /**
   * Runs `work` so that nothing it throws reaches the runtime: these methods are called from the
   * runtime's socket events, where a throw would escape into its frame parser or kill the process.
   */
  #guarded(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.#logError(error);
    }
  }

  #logError(error: unknown): void {
    try {
      this.#host.log.error("error", { ...this.#where(), message: error instanceof Error ? error.message : String(error) });
    } catch {
      // Even the log failed (stdout gone): nothing left to tell.
    }
  }

  #where() {
    return { id: this.#id, path: this.#path, remote: this.#remoteAddress };
  }
}
