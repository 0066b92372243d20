// The runtime-adapter contract: what a runtime provides to host a WebSocket connection, and what it
// gets back. Every adapter is a mapping of its runtime's events onto this:
//   src/adapter/ws/              Node and Deno (node:http + ws), driven by src/host/hosted-session.ts
//   bun/adapter.ts               Bun (Bun.serve), driven by src/host/hosted-session.ts
//   worker/connection-object.ts  Workers: a Durable Object per connection, its state in the socket's attachment
// Both drivers follow one policy (driver-policy.ts).
import type { Context } from "hono";
import type { Message, Route, SessionSocket } from "../core/session.ts";
import type { RetryLaterReason } from "../http/upgrade-check.ts";

/** An upgrade that passed every check: what the runtime needs to open the socket. */
export interface AcceptedUpgrade {
  route: Route;
  path: string;
  /** The subprotocol to answer with, or undefined for none. */
  protocol: string | undefined;
  /** A fresh id for logs and, on Workers, the Durable Object's name. */
  id: string;
  remoteAddress: string | undefined;
}

/** What a runtime's upgrade did with an accepted upgrade. */
export type UpgradeOutcome =
  /**
   * A socket opens. `response` is the answer where the runtime sends the 101 as the fetch result
   * (Workers); without one the runtime writes the 101 on the connection itself (ws, Bun).
   */
  | { opened: true; response?: Response }
  /** No socket opens; `response` is the answer (e.g. 400 when the runtime refuses the upgrade). */
  | { opened: false; response: Response };

/** Opens the WebSocket for an accepted upgrade: the one capability a runtime hands to the app. */
export type UpgradeHandler = (c: Context, upgrade: AcceptedUpgrade) => UpgradeOutcome | Promise<UpgradeOutcome>;

/** The connection limit an upgrade would break, or undefined when it may open. */
export type ConnectionLimitCheck = Extract<RetryLaterReason, "capacity" | "per-address"> | undefined;

/**
 * How the app asks whether one more connection may open. A runtime gives one of the two:
 * - `check`, a pure check (a process, whose own registry counts the connection once it opens);
 * - `admit`, an admission that counts connection `id` at once (Workers: a lease in the address's
 *   Durable Object, taken before the connection's object exists), and `release`, which the app calls
 *   when that upgrade does not open after all.
 */
export type ConnectionLimits =
  | { check(address: string | undefined): ConnectionLimitCheck }
  | {
      admit(address: string | undefined, id: string): Promise<ConnectionLimitCheck>;
      release(address: string | undefined, id: string): Promise<void>;
    };

/**
 * What a long-lived process's runtime provides for one connection: the core's send and close, and
 * control over reading, which flow control needs. A `ws` WebSocket and Bun's ServerWebSocket fit as
 * they are. (A Durable Object's WebSocket has send and close only; its input gate stands in for
 * pause, and a modelled budget for the bytes waiting: src/core/send-budget.ts.)
 */
export interface RuntimeSocket extends SessionSocket {
  /** Stops reading from the connection: TCP then pushes back on the client. */
  pause(): void;
  resume(): void;
  /** Drops the connection at once, without a close handshake. */
  terminate(): void;
}

/** How a runtime reads a socket's bytes waiting to be sent (ws: `bufferedAmount`, Bun: `getBufferedAmount()`). */
export type BufferedBytesOf = (socket: RuntimeSocket) => number;

/**
 * What an adapter gets back for an opened connection: the driver it reports its socket's events to.
 * None of these throws: a failure costs that connection (1011), never the runtime's event loop.
 */
export interface ConnectionEvents {
  /** The socket is open (after the 101). */
  opened(socket: RuntimeSocket): void;
  /**
   * A message as the runtime delivered it: text as a string, binary as its bytes (ArrayBuffer or
   * Buffer); `textBytes` when a text message comes as bytes whose UTF-8 the runtime checked (ws).
   */
  message(data: Message, textBytes?: boolean): void;
  /** The runtime answered a ping with a pong of its own, which queues bytes too. */
  answeredPing(): void;
  /** The runtime has written queued bytes out. */
  drained(): void;
  /** The connection is gone, with the code the runtime reports. */
  closed(code: number, reason: string): void;
  /** A socket error, usually the peer's protocol error, which the runtime answers itself. */
  failed(message: string): void;
}
