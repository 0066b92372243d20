// Parses the frames a server sends and rejects any that RFC 6455 forbids a server to send: a test
// must not trust the very bytes it is checking.
import { isUtf8 } from "node:buffer";
import { concatBytes } from "./frame-encoder.ts";
import { isControlOpcode, isDefinedOpcode, Opcode } from "./opcodes.ts";

/** One frame as it arrived from the server. */
export interface ServerFrame {
  fin: boolean;
  opcode: number;
  payload: Uint8Array;
}

/** A server frame that breaks RFC 6455; the message names the rule. */
export class ServerFrameViolation extends Error {
  override name = "ServerFrameViolation";
}

/** Incremental parser: feed it TCP chunks, take out whole frames. */
export class ServerFrameDecoder {
  private buffered = new Uint8Array(0);

  /** Appends `chunk` and returns every frame now complete; throws {@link ServerFrameViolation}. */
  push(chunk: Uint8Array): ServerFrame[] {
    this.buffered = concatBytes([this.buffered, chunk]);
    const frames: ServerFrame[] = [];
    for (let frame; (frame = this.takeFrame()); ) frames.push(frame);
    return frames;
  }

  private takeFrame(): ServerFrame | undefined {
    const bytes = this.buffered;
    if (bytes.length < 2) return undefined;
    const first = bytes[0] ?? 0;
    const second = bytes[1] ?? 0;
    const fin = (first & 0x80) !== 0;
    const rsv = (first >> 4) & 0b111;
    const opcode = first & 0x0f;

    // §5.2: RSV bits are 0 unless an extension says otherwise, and we negotiate none.
    if (rsv !== 0) throw new ServerFrameViolation(`server frame has RSV bits ${rsv.toString(2)} set without an extension (§5.2)`);
    if (!isDefinedOpcode(opcode)) throw new ServerFrameViolation(`server frame uses reserved opcode 0x${opcode.toString(16)} (§5.2)`);
    // §5.1: a server MUST NOT mask any frame it sends.
    if ((second & 0x80) !== 0) throw new ServerFrameViolation("server frame is masked (§5.1)");

    let length = second & 0x7f;
    let headerLength = 2;
    if (length === 126) {
      if (bytes.length < 4) return undefined;
      length = ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0);
      headerLength = 4;
      if (length < 126) throw new ServerFrameViolation(`server used a 16-bit length for ${length} bytes; the minimal encoding is required (§5.2)`);
    } else if (length === 127) {
      if (bytes.length < 10) return undefined;
      const long = new DataView(bytes.buffer, bytes.byteOffset + 2, 8).getBigUint64(0);
      if (long > BigInt(Number.MAX_SAFE_INTEGER)) throw new ServerFrameViolation("server frame length has the most significant bit set (§5.2)");
      length = Number(long);
      headerLength = 10;
      if (length <= 0xffff) throw new ServerFrameViolation(`server used a 64-bit length for ${length} bytes; the minimal encoding is required (§5.2)`);
    }

    if (isControlOpcode(opcode)) {
      // §5.5: control frames are never fragmented and carry at most 125 bytes.
      if (!fin) throw new ServerFrameViolation(`server sent a fragmented control frame (opcode 0x${opcode.toString(16)}) (§5.5)`);
      if (length > 125) throw new ServerFrameViolation(`server sent a control frame with ${length} bytes of payload (§5.5)`);
    }
    if (bytes.length < headerLength + length) return undefined;

    const payload = bytes.slice(headerLength, headerLength + length);
    this.buffered = bytes.slice(headerLength + length);
    // §5.5.1: a close body is empty, or a 2-byte code followed by a UTF-8 reason (isUtf8 is strict, as §8.1 requires).
    if (opcode === Opcode.close && payload.length === 1) throw new ServerFrameViolation("server close frame has a 1-byte payload (§5.5.1)");
    if (opcode === Opcode.close && !isUtf8(payload.subarray(2))) throw new ServerFrameViolation("server close reason is not valid UTF-8 (§5.5.1)");
    return { fin, opcode, payload };
  }
}

/** The code and reason of a close frame's payload; code is undefined for an empty body (§7.1.5: 1005). */
export function parseClosePayload(payload: Uint8Array): { code: number | undefined; reason: string } {
  if (payload.length < 2) return { code: undefined, reason: "" };
  return { code: ((payload[0] ?? 0) << 8) | (payload[1] ?? 0), reason: new TextDecoder().decode(payload.subarray(2)) };
}
