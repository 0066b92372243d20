// What the core's session asks of a Deno WebSocket (send, close), and the close it asked for.
import type { Message, SessionSocket } from "../src/core/session.ts";
import { closeWhenFlushed } from "./close-when-flushed.ts";

/**
 * A class rather than an object of closures: every message goes through `send`, and with 1,000
 * connections taking turns each per-connection object on that path is likely a cache miss. This is
 * one object holding the socket; closures would add a function object and their context.
 */
export class DenoSessionSocket implements SessionSocket {
  /** The first close the session asked for: Deno 2.9 reports code 0 for a close the server started. */
  closedWith: { code: number; reason: string } | undefined = undefined;
  readonly #socket: WebSocket;

  constructor(socket: WebSocket) {
    this.#socket = socket;
  }

  send(data: Message): void {
    this.#socket.send(data);
  }

  close(code: number, reason: string): void {
    this.closedWith ??= { code, reason };
    closeWhenFlushed(this.#socket, code, reason);
  }
}
