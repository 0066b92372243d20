// One attacking WebSocket: a raw socket that writes what the attack says and reads all along or not at
// all, and at the end records what the server left in it (a close frame, a FIN, a reset, or nothing).
import { EventEmitter, once } from "node:events";
import type { Socket } from "node:net";
import type { Writable } from "node:stream";
import { Receiver } from "ws";
import type { Reactions } from "./reactions.ts";

declare module "ws" {
  /** ws's frame parser (exported, untyped): it emits each message and control frame and keeps none. */
  class Receiver extends Writable {
    constructor(options: { maxPayload: number });
  }
}

/** Errors that mean the server dropped the connection (a write after its close ends in EPIPE). */
const resetCodes = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED"]);
const sliceBytes = 64 * 1024;

export class AttackerConnection {
  readonly socket: Socket;
  /** What the server sent: whole data messages, pongs, and its close code (1005 for none) once it closed. */
  messages = 0;
  pongs = 0;
  closeCode: number | undefined;
  // No payload is kept: an attacker that resumes reading may find hundreds of megabytes of echoes queued.
  private readonly receiver = new Receiver({ maxPayload: 0 })
    .on("message", () => this.messages++)
    .on("pong", () => this.pongs++)
    .on("conclude", (code: number) => {
      this.closeCode = code;
      this.changed.emit("change");
    })
    // A frame that breaks the protocol ends the counting; the connection's end is still recorded.
    .on("error", () => {});
  /** Bytes the kernel took from our writes: what the server could have read. */
  bytesSent = 0;
  private errorCode: string | undefined;
  private tcpEnded = false;
  /** Emits "change" at every socket event and at the close frame: what `until` waits for. */
  private readonly changed = new EventEmitter();

  /** `reading`: consume server frames all along; otherwise leave them in the kernel buffer (socket paused). */
  constructor(socket: Socket, leftover: Uint8Array, reading: boolean) {
    this.socket = socket;
    this.receive(leftover);
    socket.on("error", (error: NodeJS.ErrnoException) => (this.errorCode ??= error.code ?? "error"));
    socket.on("end", () => (this.tcpEnded = true));
    for (const event of ["error", "end", "close", "drain"]) socket.on(event, () => this.changed.emit("change"));
    if (reading) this.startReading();
    else socket.pause();
  }

  /** Whether writing still makes sense: no close frame, no FIN, no error. */
  get usable(): boolean {
    return !this.socket.destroyed && !this.errorCode && !this.tcpEnded && this.closeCode === undefined;
  }

  // Writes `bytes` in 64 KiB slices, each once the socket has room (our buffers stay bounded), yielding
  // between slices so a loop of sends cannot starve the timer that stops it.
  async send(bytes: Uint8Array, stop: AbortSignal): Promise<void> {
    for (let offset = 0; offset < bytes.length && this.usable && !stop.aborted; offset += sliceBytes) {
      const slice = bytes.subarray(offset, offset + sliceBytes);
      const hasRoom = this.socket.write(slice, (error) => {
        if (!error) this.bytesSent += slice.length;
      });
      if (hasRoom) await new Promise((resolve) => setImmediate(resolve));
      else await this.until(() => !this.socket.writableNeedDrain || !this.usable, stop);
    }
  }

  /** Reads what the server left (up to `drainMs`, less at a close frame or FIN), records its reaction, destroys the socket. */
  async finish(reactions: Reactions, drainMs: number): Promise<void> {
    if (!this.socket.destroyed && !this.errorCode) {
      this.startReading();
      const drained = AbortSignal.timeout(drainMs);
      await this.until(() => this.closeCode !== undefined || this.tcpEnded || this.socket.destroyed, drained);
    }
    if (this.closeCode !== undefined) reactions.count("closeCodes", this.closeCode);
    else reactions[this.errorCode && resetCodes.has(this.errorCode) ? "resets" : this.tcpEnded || this.socket.destroyed ? "endedWithoutCloseFrame" : "openAtEnd"]++;
    this.socket.destroy();
  }

  private startReading(): void {
    if (this.socket.listenerCount("data") === 0) this.socket.on("data", (chunk: Buffer) => this.receive(chunk));
    this.socket.resume();
  }

  private receive(chunk: Uint8Array): void {
    if (chunk.length === 0 || this.closeCode !== undefined || this.receiver.errored) return;
    this.receiver.write(chunk);
  }

  /** Resolves once `done()` holds (checked at every socket event) or `stop` fires. */
  private async until(done: () => boolean, stop: AbortSignal): Promise<void> {
    while (!done() && !stop.aborted) await once(this.changed, "change", { signal: stop }).catch(() => {});
  }
}
