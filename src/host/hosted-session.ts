// One connection of a long-lived process, driving the core session: the runtime tells it what
// happened (opened, message, closed), the core answers on the socket, and this keeps the process's
// registry and metrics. A class, so a process with 10,000 idle connections holds 10,000
// small objects rather than 10,000 sets of closures.
import type { AcceptedUpgrade } from "../app.ts";
import { CloseCode } from "../core/close-codes.ts";
import { checkIdle, openSession, receiveMessage, type Message, type SessionRules, type SessionSocket, type SessionState } from "../core/session.ts";
import type { Logger } from "../log.ts";
import type { LiveConnection, LiveConnections } from "./live-connections.ts";
import type { Metrics } from "./metrics.ts";

/** What every connection of a process shares. */
export interface Host {
  rules: SessionRules;
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
  #socket: SessionSocket | undefined;

  constructor(upgrade: AcceptedUpgrade, host: Host) {
    this.#id = upgrade.id;
    this.#path = upgrade.path;
    this.#protocol = upgrade.protocol;
    this.#remoteAddress = upgrade.remoteAddress;
    this.#host = host;
    this.#state = openSession(upgrade.route, Date.now(), host.rules);
  }

  /** The socket is open: nothing is sent (SPEC.md), the connection is counted and logged. */
  opened(socket: SessionSocket): void {
    this.#socket = socket;
    this.#guarded(() => {
      const { route } = this.#state;
      this.#state = openSession(route, Date.now(), this.#host.rules);
      this.#host.connections.add(this);
      this.#host.metrics.opened(route);
      this.#host.log.info("open", { ...this.#where(), protocol: this.#protocol });
    });
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
      // Date.now itself, not its value: the core reads the time only when a rule needs it.
      receiveMessage(state, data, Date.now, this.#host.rules, socket);
    } catch (error) {
      this.#stepFailed(socket, error);
    }
    const metrics = this.#host.metrics;
    metrics.messagesIn += state.messagesIn - messagesIn;
    metrics.bytesIn += state.bytesIn - bytesIn;
    metrics.messagesOut += state.messagesOut - messagesOut;
    metrics.bytesOut += state.bytesOut - bytesOut;
  }

  /** The connection is gone (after a close handshake or a drop): `code` is what the runtime reports. */
  closed(code: number, reason: string): void {
    const state = this.#state;
    this.#host.connections.delete(this);
    this.#guarded(() => {
      this.#host.metrics.closed(code);
      this.#host.log.info("close", {
        ...this.#where(),
        code,
        reason,
        messages_in: state.messagesIn,
        messages_out: state.messagesOut,
        bytes_in: state.bytesIn,
        bytes_out: state.bytesOut,
        duration_ms: Date.now() - state.openedAt,
      });
    });
  }

  /** A socket error: usually the peer's protocol error, which the runtime answers itself. */
  failed(message: string): void {
    this.#guarded(() => this.#host.log.warn("error", { ...this.#where(), message }));
  }

  tick(now: number): void {
    const socket = this.#socket;
    if (!socket) return;
    try {
      checkIdle(this.#state, now, this.#host.rules, socket);
    } catch (error) {
      this.#stepFailed(socket, error);
    }
  }

  close(code: number, reason: string): void {
    this.#socket?.close(code, reason);
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
