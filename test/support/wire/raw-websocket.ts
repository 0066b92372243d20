// A WebSocket client for tests that hides nothing: it writes exactly the bytes it is given (whole or
// in chosen chunks), and hands back every server frame and the moment TCP closes.
import type { Socket } from "node:net";
import { concatBytes, encodeFrame, type FrameSpec } from "./frame-encoder.ts";
import { ServerFrameDecoder, type ServerFrame } from "./frame-decoder.ts";
import { upgrade } from "./handshake.ts";
import { isControlOpcode, Opcode } from "./opcodes.ts";

/** What the server did next: a frame, or TCP closed (FIN or reset). */
export type WireEvent = { kind: "frame"; frame: ServerFrame } | { kind: "tcp-closed" };

/** A whole data message, reassembled from its frames (a server may fragment, §5.4). */
export interface ServerMessage {
  opcode: typeof Opcode.text | typeof Opcode.binary;
  payload: Uint8Array;
  /** How many frames carried it. */
  frames: number;
}

/** Nothing came from the server in time (as opposed to the server breaking a rule). */
export class WaitTimeout extends Error {
  override name = "WaitTimeout";
}

/** Default wait for anything from the server: a server that never answers fails the case, it does not hang it. */
export const defaultWaitMs = 5000;

/** One raw connection after a successful handshake. */
export class RawWebSocket {
  private readonly decoder = new ServerFrameDecoder();
  private readonly events: WireEvent[] = [];
  private readonly waiters: Array<() => void> = [];
  private violation: Error | undefined;
  private closed = false;
  private readonly socket: Socket;

  constructor(socket: Socket, leftover: Uint8Array) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    socket.on("close", () => this.tcpClosed());
    // A reset after the server failed the connection is a way of closing TCP; 'close' follows.
    socket.on("error", () => {});
    this.receive(leftover);
    socket.resume();
  }

  /** Writes bytes exactly as given, in chunks of `chunkSize` bytes each flushed before the next (1 = a byte at a time;
   * default all at once); stops quietly if TCP is already closed (the server may fail us mid-write). */
  async write(bytes: Uint8Array, options: { chunkSize?: number } = {}): Promise<void> {
    const chunkSize = Math.max(options.chunkSize ?? bytes.length, 1);
    for (let offset = 0; offset < bytes.length; offset += chunkSize) {
      if (this.closed || this.socket.destroyed) return;
      const chunk = bytes.subarray(offset, offset + chunkSize);
      // Waiting for each chunk to be flushed makes it its own write(2), so the server reads it apart.
      await new Promise<void>((resolve) => this.socket.write(chunk, () => resolve()));
    }
  }

  /** Encodes and writes frames; with a chunk size, the frames' bytes are split regardless of frame borders. */
  async send(frames: FrameSpec | FrameSpec[], options: { chunkSize?: number } = {}): Promise<void> {
    await this.write(concatBytes((Array.isArray(frames) ? frames : [frames]).map(encodeFrame)), options);
  }

  /** The next frame or the TCP close; rejects after `timeoutMs`, or if the server broke a framing rule. */
  async nextEvent(timeoutMs = defaultWaitMs): Promise<WireEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.violation) throw this.violation;
      const event = this.events.shift();
      if (event) return event;
      const left = deadline - Date.now();
      if (left <= 0) throw new WaitTimeout(`the server sent nothing and kept TCP open for ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The next frame; rejects if TCP closes first or nothing comes within `timeoutMs`. */
  async nextFrame(timeoutMs = defaultWaitMs): Promise<ServerFrame> {
    const event = await this.nextEvent(timeoutMs);
    if (event.kind === "tcp-closed") throw new Error("TCP closed where a frame was expected");
    return event.frame;
  }

  /** The next data message, reassembled; a control frame on the way is an error (use nextFrame to expect one). */
  async nextMessage(timeoutMs = defaultWaitMs): Promise<ServerMessage> {
    const deadline = Date.now() + timeoutMs;
    const parts: Uint8Array[] = [];
    let opcode: number | undefined;
    for (;;) {
      const frame = await this.nextFrame(Math.max(deadline - Date.now(), 1));
      if (isControlOpcode(frame.opcode)) throw new Error(`expected a data frame, got control opcode 0x${frame.opcode.toString(16)}`);
      if (opcode === undefined) {
        if (frame.opcode === Opcode.continuation) throw new Error("server sent a continuation frame with no message started (§5.4)");
        opcode = frame.opcode;
      } else if (frame.opcode !== Opcode.continuation) {
        throw new Error("server started a new message inside a fragmented one (§5.4)");
      }
      parts.push(frame.payload);
      if (frame.fin) return { opcode: opcode as ServerMessage["opcode"], payload: concatBytes(parts), frames: parts.length };
    }
  }

  /** Resolves true once the server has closed TCP, false if it is still open after `timeoutMs`. Frames still unread are dropped. */
  async tcpClosesWithin(timeoutMs = defaultWaitMs): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      try {
        if ((await this.nextEvent(left)).kind === "tcp-closed") return true;
      } catch (error) {
        if (error instanceof WaitTimeout) return false;
        throw error;
      }
    }
  }

  /** Drops the connection without a close handshake (test clean-up). */
  destroy(): void {
    this.socket.destroy();
  }

  private receive(chunk: Uint8Array): void {
    if (chunk.length === 0 || this.violation) return;
    try {
      for (const frame of this.decoder.push(chunk)) this.events.push({ kind: "frame", frame });
    } catch (error) {
      this.violation = error as Error;
    }
    this.wake();
  }

  private tcpClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.events.push({ kind: "tcp-closed" });
    this.wake();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

/** Opens a raw WebSocket to `path` (default `/echo`) on `baseUrl`. */
export async function openRawWebSocket(baseUrl: string, path = "/echo"): Promise<RawWebSocket> {
  const { socket, leftover } = await upgrade(baseUrl, path);
  return new RawWebSocket(socket, leftover);
}
