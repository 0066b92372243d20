// The id of an accepted connection: in its log lines and, on Workers, the name of its Durable Object.
//
// Not `crypto.randomUUID()`: Node builds that string as a rope of concatenated pieces, and a rope is
// kept as it is for as long as the connection keeps its id. `join` makes one flat 36-character string.
// The random bytes and the pieces are reused, because building them per handshake is garbage that a
// burst of handshakes leaves in the heap of an idle process.
const hexOfByte = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));
const random = new Uint8Array(16);
// Where the dashes go: after bytes 4, 6, 8 and 10 (8-4-4-4-12 hex digits).
const pieces = new Array<string>(20).fill("-");
const pieceOfByte = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 16, 17, 18, 19];

/** A random version-4 UUID (RFC 9562 §5.4), as one flat string. */
export function connectionId(): string {
  crypto.getRandomValues(random);
  random[6] = (random[6]! & 0x0f) | 0x40; // version 4
  random[8] = (random[8]! & 0x3f) | 0x80; // variant 10xx
  for (let i = 0; i < 16; i++) pieces[pieceOfByte[i]!] = hexOfByte[random[i]!]!;
  return pieces.join("");
}
