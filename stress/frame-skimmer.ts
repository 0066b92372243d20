// Counts the frames a server sends without keeping their payloads: an attacker that resumes reading
// may find hundreds of megabytes of echoes queued, which the test decoder would copy into one buffer.
import { Opcode } from "../test/support/wire/opcodes.ts";

/** Streaming counter of server-to-client frames (RFC 6455 §5.2). */
export class FrameSkimmer {
  /** Data messages completed (the FIN frame of a text, binary or continuation sequence). */
  messages = 0;
  pongs = 0;
  /** The close code the server sent (1005 for a close without a code), or undefined before a close frame. */
  closeCode: number | undefined;
  private readonly header: number[] = [];
  private remaining = 0;
  private closeBody: number[] = [];

  push(chunk: Uint8Array): void {
    for (let offset = 0; offset < chunk.length; ) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - offset);
        if (this.opcode === Opcode.close) this.closeBody.push(...chunk.subarray(offset, offset + take));
        this.remaining -= take;
        offset += take;
        if (this.remaining === 0) this.frameDone();
        continue;
      }
      this.header.push(chunk[offset++]!);
      // Two bytes, then the extended length (§5.2) and a masking key if one is set.
      const short = (this.header[1] ?? 0) & 0x7f;
      if (this.header.length < 2 || this.header.length < 2 + (short === 126 ? 2 : short === 127 ? 8 : 0) + ((this.header[1]! & 0x80) !== 0 ? 4 : 0)) continue;
      this.remaining = short < 126 ? short : this.header.slice(2, short === 126 ? 4 : 10).reduce((length, byte) => length * 256 + byte, 0);
      this.closeBody = [];
      if (this.remaining === 0) this.frameDone();
    }
  }

  private get opcode(): number {
    return (this.header[0] ?? 0) & 0x0f;
  }

  private frameDone(): void {
    const fin = ((this.header[0] ?? 0) & 0x80) !== 0;
    if (this.opcode === Opcode.pong) this.pongs++;
    else if (this.opcode === Opcode.close) this.closeCode ??= this.closeBody.length >= 2 ? this.closeBody[0]! * 256 + this.closeBody[1]! : 1005;
    else if (this.opcode <= Opcode.binary && fin) this.messages++;
    this.header.length = 0;
  }
}
