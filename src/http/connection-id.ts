// The id of an accepted connection: in its log lines and, on Workers, the name of its Durable Object.
//
// Not `crypto.randomUUID()`: Node builds that string as a rope of 14 concatenated pieces, and a rope is
// kept as it is for as long as the connection keeps its id (~0.5 KiB per idle connection, seen in a
// heap snapshot of 2,000 idle connections). `join` below makes one flat 36-character string.
const hexOfByte = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

/** A random version-4 UUID (RFC 9562 §5.4), as one flat string. */
export function connectionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // variant 10xx
  const hex = Array.from(bytes, (byte) => hexOfByte[byte]!);
  return [hex.slice(0, 4), hex.slice(4, 6), hex.slice(6, 8), hex.slice(8, 10), hex.slice(10)].map((group) => group.join("")).join("-");
}
