// What the core's session asks of a Deno WebSocket (send, close), and the close it asked for.
import type { Message, SessionSocket } from "../src/core/session.ts";
import { closeWhenFlushed } from "./close-when-flushed.ts";

/**
 * A class rather than an object of closures: every message goes through `send`, and with 1,000
 * connections taking turns each per-connection object on that path is likely a cache miss. This is
 * one object holding the socket; closures would add a function object and their context.
 */
export class DenoSessionSocket implements SessionSocket {
  readonly #socket: WebSocket;
  /** The first close the session asked for. */
  #closedWith: { code: number; reason: string } | undefined = undefined;

  constructor(socket: WebSocket) {
    this.#socket = socket;
  }

  send(data: Message): void {
    this.#socket.send(data);
  }

  close(code: number, reason: string): void {
    this.#closedWith ??= { code, reason };
    closeWhenFlushed(this.#socket, code, reason);
  }

  /**
   * The close as logs and metrics should see it. Deno 2.9 fires `close` with code 0 (not a close code
   * at all) when the server started the close, so report the code we sent; 0 without one of ours is a
   * drop.
   */
  reportedClose(event: CloseEvent): { code: number; reason: string } {
    if (event.code !== 0) return { code: event.code, reason: event.reason };
    return this.#closedWith ?? { code: 1006, reason: "" };
  }
}
