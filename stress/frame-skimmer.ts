// Counts the frames a server sends without keeping their payloads: an attacker that resumes reading
// may find hundreds of megabytes of echoes queued, which the test decoder would copy into one buffer.
import { Opcode } from "../test/support/wire/opcodes.ts";

/** Streaming frame counter for server-to-client frames (RFC 6455 §5.2). */
export class FrameSkimmer {
  /** Data messages completed (the FIN frame of a text, binary or continuation sequence). */
  messages = 0;
  /** Payload bytes of data frames. */
  dataBytes = 0;
  pings = 0;
  pongs = 0;
  /** The close code the server sent (1005 for a close without a code), or undefined before a close frame. */
  closeCode: number | undefined;

  private readonly header = new Uint8Array(14);
  private headerLength = 0;
  private headerNeeded = 2;
  private remaining = 0;
  private opcode = 0;
  private fin = false;
  private closeBody: number[] = [];

  push(chunk: Uint8Array): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - offset);
        if (this.opcode === Opcode.close) this.closeBody.push(...chunk.subarray(offset, offset + take));
        else if (this.opcode <= Opcode.binary) this.dataBytes += take;
        this.remaining -= take;
        offset += take;
        if (this.remaining === 0) this.frameDone();
        continue;
      }
      this.header[this.headerLength++] = chunk[offset++] ?? 0;
      if (this.headerLength === 2) this.headerNeeded = 2 + extraHeaderBytes(this.header[1] ?? 0);
      if (this.headerLength === this.headerNeeded) this.headerDone();
    }
  }

  private headerDone(): void {
    const first = this.header[0] ?? 0;
    const second = this.header[1] ?? 0;
    this.fin = (first & 0x80) !== 0;
    this.opcode = first & 0x0f;
    const short = second & 0x7f;
    const view = new DataView(this.header.buffer);
    this.remaining = short === 126 ? view.getUint16(2) : short === 127 ? Number(view.getBigUint64(2)) : short;
    this.headerLength = 0;
    this.headerNeeded = 2;
    this.closeBody = [];
    if (this.remaining === 0) this.frameDone();
  }

  private frameDone(): void {
    if (this.opcode === Opcode.ping) this.pings++;
    else if (this.opcode === Opcode.pong) this.pongs++;
    else if (this.opcode === Opcode.close) {
      const body = this.closeBody;
      this.closeCode ??= body.length >= 2 ? ((body[0] ?? 0) << 8) | (body[1] ?? 0) : 1005;
    } else if (this.opcode <= Opcode.binary && this.fin) this.messages++;
  }
}

/** Header bytes after the first two: the extended length (§5.2) and a masking key if one is set. */
function extraHeaderBytes(second: number): number {
  const short = second & 0x7f;
  const lengthBytes = short === 126 ? 2 : short === 127 ? 8 : 0;
  return lengthBytes + ((second & 0x80) !== 0 ? 4 : 0);
}
