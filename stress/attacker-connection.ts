// One attacking WebSocket: a raw socket that writes what the attack says and reads all along or not at
// all, and at the end records what the server left in it (a close frame, a FIN, a reset, or nothing).
import type { Socket } from "node:net";
import { FrameSkimmer } from "./frame-skimmer.ts";
import type { Reactions } from "./reactions.ts";

/** Errors that mean the server dropped the connection (a write after its close ends in EPIPE). */
const resetCodes = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED"]);
const sliceBytes = 64 * 1024;

export class AttackerConnection {
  readonly socket: Socket;
  readonly skimmer = new FrameSkimmer();
  /** Bytes the kernel took from our writes: what the server could have read. */
  bytesSent = 0;
  private errorCode: string | undefined;
  private tcpEnded = false;
  private readonly wakers = new Set<() => void>();

  /** `reading`: consume server frames all along; otherwise leave them in the kernel buffer (socket paused). */
  constructor(socket: Socket, leftover: Uint8Array, reading: boolean) {
    this.socket = socket;
    this.skimmer.push(leftover);
    socket.on("error", (error: NodeJS.ErrnoException) => {
      this.errorCode ??= error.code ?? "error";
      this.wake();
    });
    socket.on("end", () => {
      this.tcpEnded = true;
      this.wake();
    });
    socket.on("close", () => this.wake());
    socket.on("drain", () => this.wake());
    if (reading) this.startReading();
    else socket.pause();
  }

  /** Whether writing still makes sense: no close frame, no FIN, no error. */
  get usable(): boolean {
    return !this.socket.destroyed && !this.errorCode && !this.tcpEnded && this.skimmer.closeCode === undefined;
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
      await this.until(() => this.skimmer.closeCode !== undefined || this.tcpEnded || this.socket.destroyed, drained);
    }
    if (this.skimmer.closeCode !== undefined) reactions.count("closeCodes", this.skimmer.closeCode);
    else reactions.ended(this.errorCode && resetCodes.has(this.errorCode) ? "resets" : this.tcpEnded || this.socket.destroyed ? "endedWithoutCloseFrame" : "openAtEnd");
    this.socket.destroy();
  }

  private startReading(): void {
    if (this.socket.listenerCount("data") === 0) this.socket.on("data", (chunk: Buffer) => {
      this.skimmer.push(chunk);
      if (this.skimmer.closeCode !== undefined) this.wake();
    });
    this.socket.resume();
  }

  /** Resolves once `done()` holds (checked at every socket event) or `stop` fires. */
  private until(done: () => boolean, stop: AbortSignal): Promise<void> {
    if (done() || stop.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!done() && !stop.aborted) return;
        this.wakers.delete(check);
        stop.removeEventListener("abort", check);
        resolve();
      };
      this.wakers.add(check);
      stop.addEventListener("abort", check);
    });
  }

  private wake(): void {
    for (const waker of [...this.wakers]) waker();
  }
}
