// Builds client frames byte by byte (RFC 6455 §5.2), including the malformed ones a conformance
// suite needs: any opcode, any RSV bits, FIN clear on a control frame, no mask, oversize control payloads.

/** The RFC's own example masking key (§5.7); a fixed key keeps the bytes on the wire reproducible. */
export const exampleMaskKey = Uint8Array.of(0x37, 0xfa, 0x21, 0x3d);

/** Everything about one frame, with defaults that make a valid, masked, final frame. */
export interface FrameSpec {
  opcode: number;
  payload?: Uint8Array | string;
  /** FIN bit (§5.2); default true. */
  fin?: boolean;
  /** RSV1-3 as a 3-bit number (RSV1 = 0b100); default 0. */
  rsv?: number;
  /** The 4-byte masking key, or false for an unmasked frame (forbidden from a client, §5.1). Default {@link exampleMaskKey}. */
  mask?: Uint8Array | false;
  /** Force a length encoding; default is the minimal one that §5.2 requires. */
  lengthEncoding?: "7-bit" | "16-bit" | "64-bit";
}

/** UTF-8 bytes of a string, or the bytes as given. */
export const payloadBytes = (payload: Uint8Array | string | undefined): Uint8Array => (typeof payload === "string" ? new TextEncoder().encode(payload) : (payload ?? new Uint8Array(0)));

/** The length field of §5.2 in `encoding` (MASK bit clear); throws if the length does not fit it. */
function lengthField(length: number, encoding: NonNullable<FrameSpec["lengthEncoding"]>): Uint8Array {
  if (length > { "7-bit": 125, "16-bit": 0xffff, "64-bit": Infinity }[encoding]) throw new Error(`a ${encoding} length cannot hold ${length}`);
  if (encoding === "7-bit") return Uint8Array.of(length);
  if (encoding === "16-bit") return Uint8Array.of(126, length >> 8, length & 0xff);
  const field = Buffer.alloc(9);
  field[0] = 127;
  field.writeBigUInt64BE(BigInt(length), 1);
  return field;
}

/** XORs `payload` with the masking key (§5.3); the same function masks and unmasks. */
const applyMask = (payload: Uint8Array, key: Uint8Array): Uint8Array => payload.map((byte, i) => byte ^ key[i % 4]!);

/** The bytes of one frame as `spec` describes it. */
export function encodeFrame(spec: FrameSpec): Uint8Array {
  const payload = payloadBytes(spec.payload);
  const mask = spec.mask ?? exampleMaskKey;
  if (mask !== false && mask.length !== 4) throw new Error("a masking key is 4 bytes (§5.2)");
  const first = ((spec.fin ?? true) ? 0x80 : 0) | (((spec.rsv ?? 0) & 0b111) << 4) | (spec.opcode & 0x0f);
  const minimal = payload.length <= 125 ? "7-bit" : payload.length <= 0xffff ? "16-bit" : "64-bit";
  const length = lengthField(payload.length, spec.lengthEncoding ?? minimal);
  if (mask !== false) length[0]! |= 0x80;
  return concatBytes(mask === false ? [Uint8Array.of(first), length, payload] : [Uint8Array.of(first), length, mask, applyMask(payload, mask)]);
}

/** The payload of a close frame: a 2-byte big-endian code and an optional reason (§5.5.1). */
export const closePayload = (code: number, reason: Uint8Array | string = ""): Uint8Array => concatBytes([Uint8Array.of(code >> 8, code & 0xff), payloadBytes(reason)]);

/** Several frames as one byte string, so they can be written in one go or in chunks. */
export const concatBytes = (parts: Uint8Array[]): Uint8Array<ArrayBuffer> => new Uint8Array(Buffer.concat(parts));
