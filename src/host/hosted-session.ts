// One connection of a long-lived process, driving the core session: the runtime tells it what
// happened (opened, message, closed), the core answers on the socket, and this keeps the process's
// registry and metrics. A class, so a process with 10,000 idle connections holds 10,000
// small objects rather than 10,000 sets of closures.
import type { AcceptedUpgrade, BufferedBytesOf, ConnectionEvents, RuntimeSocket } from "../adapter/contract.ts";
import { closeAfterCoreFailure, logClose, logConnectionError, type ConnectionFields } from "../adapter/driver-policy.ts";
import { CloseCode } from "../core/close-codes.ts";
import type { FlowControlLimits } from "../core/flow-control.ts";
import type { StepClock } from "../core/step-clock.ts";
import { checkIdle, openSession, receiveMessage, type Message, type Route, type SessionRules, type SessionState } from "../core/session.ts";
import type { Logger } from "../log.ts";
import type { LiveConnection, LiveConnections, OverLimit } from "./live-connections.ts";
import type { Metrics } from "./metrics.ts";

/** Flow control with the runtime's real send buffer: the limits, and when a paused reader has stalled. */
export interface MeasuredFlowControl extends FlowControlLimits {
  /** A connection paused this long without draining has stopped reading for good: terminated. */
  stallMs: number;
  /** The bytes handed to this runtime's send() and not yet written to the OS. */
  bytesOf: BufferedBytesOf;
}

/** What every connection of a process shares. */
export interface ProcessServices {
  rules: SessionRules;
  /** The time of the step under way, shared by every connection: steps never interleave in a process. */
  clock: StepClock;
  flowControl: MeasuredFlowControl;
  log: Logger;
  connections: LiveConnections;
  metrics: Metrics;
}

/**
 * One connection's session, from open to close. It is itself the SessionState the core advances: the
 * state's fields are its own (set from openSession), so an open connection is one object, not two.
 */
export class HostedSession implements LiveConnection, ConnectionEvents, SessionState {
  route: Route;
  openedAt: number;
  lastMessageAt: number;
  tokens: number;
  refilledAt: number;
  messagesIn: number;
  bytesIn: number;
  messagesOut: number;
  bytesOut: number;
  closing: boolean;
  // The upgrade's fields, not the upgrade object: one object less per connection for as long as it lives.
  readonly #id: string;
  readonly #path: string;
  readonly #protocol: string | undefined;
  readonly #remoteAddress: string | undefined;
  readonly #services: ProcessServices;
  #socket: RuntimeSocket | undefined;
  /** When flow control stopped reading this connection; 0 while it is read. */
  #pausedAt = 0;
  /** How long flow control has stopped reading this connection in all, before the current pause. */
  #pausedMs = 0;

  constructor(upgrade: AcceptedUpgrade, services: ProcessServices) {
    this.#id = upgrade.id;
    this.#path = upgrade.path;
    this.#protocol = upgrade.protocol;
    this.#remoteAddress = upgrade.remoteAddress;
    this.#services = services;
    // Field by field, in the class's own fields: the engines size the object for them up front,
    // where properties added later (Object.assign) go to a second, out-of-line store.
    const state = openSession(upgrade.route, Date.now(), services.rules);
    this.route = state.route;
    this.openedAt = state.openedAt;
    this.lastMessageAt = state.lastMessageAt;
    this.tokens = state.tokens;
    this.refilledAt = state.refilledAt;
    this.messagesIn = state.messagesIn;
    this.bytesIn = state.bytesIn;
    this.messagesOut = state.messagesOut;
    this.bytesOut = state.bytesOut;
    this.closing = state.closing;
  }

  /** The socket is open: nothing is sent (docs/protocol.md#the-bot), the connection is counted and logged. */
  opened(socket: RuntimeSocket): void {
    this.#socket = socket;
    this.#guarded(() => {
      const { route } = this;
      const overLimit = this.#services.connections.admit(this, this.#remoteAddress);
      if (overLimit) return this.#refuseOpened(socket, overLimit);
      this.#services.metrics.opened(route);
      this.#services.log.info("open", { ...this.#where(), protocol: this.#protocol });
    });
  }

  /** Over a connection limit after all (upgrades that raced past the app's check): 1013, try later. */
  #refuseOpened(socket: RuntimeSocket, overLimit: OverLimit): void {
    this.closing = true;
    this.#services.metrics.refused(overLimit);
    this.#services.log.info("reject", { ...this.#where(), code: CloseCode.tryAgainLater, reason: overLimit });
    socket.close(CloseCode.tryAgainLater, overLimit === "capacity" ? "too many connections" : "too many connections from your address");
  }

  /**
   * A message as the runtime delivered it: text as a string (Bun) or as checked UTF-8 bytes
   * (`textBytes`, ws), binary as a Buffer. It goes to the core and back to send as it is: no view on
   * top (and never `.buffer`, which makes JSC copy a small array out of its GC heap).
   */
  message(data: Message, textBytes = false): void {
    const socket = this.#socket;
    if (!socket) return;
    const { messagesIn, bytesIn, messagesOut, bytesOut } = this;
    try {
      receiveMessage(this, data, this.#services.clock, this.#services.rules, socket, textBytes);
    } catch (error) {
      this.#stepFailed(socket, error);
    }
    const metrics = this.#services.metrics;
    metrics.messagesIn += this.messagesIn - messagesIn;
    metrics.bytesIn += this.bytesIn - bytesIn;
    metrics.messagesOut += this.messagesOut - messagesOut;
    metrics.bytesOut += this.bytesOut - bytesOut;
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
    if (this.#services.flowControl.bytesOf(socket) > this.#services.flowControl.resumeAt) return;
    this.#pausedMs += Date.now() - this.#pausedAt;
    this.#pausedAt = 0;
    this.#services.metrics.pausedConnections -= 1;
    this.#guarded(() => socket.resume());
  }

  /** Unsent bytes of this connection, for /metrics. */
  bufferedBytes(): number {
    return this.#socket ? this.#services.flowControl.bytesOf(this.#socket) : 0;
  }

  /**
   * Flow control (docs/protocol.md#limits): once more than MAX_BUFFERED_BYTES of replies wait,
   * stop reading, so the client's own TCP window fills and it cannot send what would need replies.
   * Nothing is dropped and nothing is closed; the runtime's drain event resumes it.
   */
  #limitSendBuffer(socket: RuntimeSocket): void {
    if (this.#pausedAt !== 0 || this.#services.flowControl.bytesOf(socket) <= this.#services.flowControl.limit) return;
    this.#pausedAt = Date.now();
    this.#services.metrics.pausedConnections += 1;
    this.#services.metrics.pauses += 1;
    this.#guarded(() => socket.pause());
  }

  /** The connection is gone (after a close handshake or a drop): `code` is what the runtime reports. */
  closed(code: number, reason: string): void {
    this.#services.connections.delete(this, this.#remoteAddress);
    const now = Date.now();
    if (this.#pausedAt !== 0) {
      this.#pausedMs += now - this.#pausedAt;
      this.#pausedAt = 0;
      this.#services.metrics.pausedConnections -= 1;
    }
    this.#guarded(() => {
      this.#services.metrics.closed(code);
      logClose(this.#services.log, this.#where(), code, reason, this, this.#pausedMs, now);
    });
  }

  /** A socket error: usually the peer's protocol error, which the runtime answers itself. */
  failed(message: string): void {
    this.#guarded(() => this.#services.log.warn("error", { ...this.#where(), message }));
  }

  tick(now: number): void {
    const socket = this.#socket;
    if (!socket) return;
    if (this.#pausedAt !== 0 && now - this.#pausedAt > this.#services.flowControl.stallMs) return this.#terminateStalled(socket, now);
    try {
      checkIdle(this, now, this.#services.rules, socket);
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
  #terminateStalled(socket: RuntimeSocket, now: number): void {
    this.#services.metrics.stalledTerminations += 1;
    this.#guarded(() => {
      this.#services.log.warn("close", { ...this.#where(), reason: "send buffer stalled", paused_ms: now - this.#pausedAt, buffered_bytes: this.bufferedBytes() });
      socket.terminate();
    });
  }

  #stepFailed(socket: RuntimeSocket, error: unknown): void {
    closeAfterCoreFailure(socket, this, this.#services.log, this.#where(), error);
  }

  /**
   * Runs `work` so that nothing it throws reaches the runtime: these methods are called from the
   * runtime's socket events, where a throw would escape into its frame parser or kill the process.
   */
  #guarded(work: () => void): void {
    try {
      work();
    } catch (error) {
      logConnectionError(this.#services.log, this.#where(), error);
    }
  }

  #where(): ConnectionFields {
    return { id: this.#id, path: this.#path, remote: this.#remoteAddress };
  }
}
