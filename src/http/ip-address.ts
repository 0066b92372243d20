// IP addresses and ranges as TRUST_PROXY names them and as peers and proxies report them. Every address
// is held as 16 bytes: an IPv4 address as its IPv4-mapped IPv6 form (RFC 4291 §2.5.5.2), so that
// `10.0.0.0/8` and a dual-stack socket's `::ffff:10.1.2.3` compare as the same thing.
// Not ipaddr.js: it accepts octal and hex parts in an embedded IPv4 (`::ffff:010.1.2.3`), reads
// `::1.2.3.4` as IPv4-mapped, and costs several times as much per address, which every handshake
// from a dual-stack socket pays; the Worker, which validates TRUST_PROXY, would carry it too.

/** An address or CIDR block from TRUST_PROXY, over the 16-byte form. */
export interface AddressRange {
  bytes: Uint8Array;
  /** Leading bits that must match, 0-128 (an IPv4 prefix counts from bit 96). */
  prefixBits: number;
}

const V4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

function parseIPv4(text: string): number[] | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    // No leading zeros: "010" is octal to some parsers and decimal to others.
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    bytes.push(Number(part));
  }
  return bytes;
}

function parseGroups(text: string): number[] | undefined {
  if (text === "") return [];
  const bytes: number[] = [];
  for (const group of text.split(":")) {
    if (!/^[0-9a-f]{1,4}$/i.test(group)) return undefined;
    const value = parseInt(group, 16);
    bytes.push(value >> 8, value & 0xff);
  }
  return bytes;
}

function parseIPv6(text: string): number[] | undefined {
  // A dotted IPv4 tail ("::ffff:192.0.2.1") stands for the last two groups: rewrite it as them.
  const lastColon = text.lastIndexOf(":");
  const dotted = text.slice(lastColon + 1);
  let address = text;
  if (dotted.includes(".")) {
    const v4 = parseIPv4(dotted);
    if (!v4) return undefined;
    address = `${text.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = address.split("::");
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0]!);
  const back = halves.length === 2 ? parseGroups(halves[1]!) : [];
  if (!head || !back) return undefined;
  const given = head.length + back.length;
  if (halves.length === 1) return given === 16 ? head : undefined;
  // "::" stands for at least one group of zeros.
  if (given > 14) return undefined;
  return [...head, ...new Array<number>(16 - given).fill(0), ...back];
}

/** The 16-byte form of an IPv4 or IPv6 address in text (a zone such as `%eth0` is ignored), or undefined. */
export function parseIp(text: string): Uint8Array | undefined {
  const address = text.trim().replace(/%[\w.-]+$/, "");
  const v4 = parseIPv4(address);
  if (v4) return Uint8Array.from([...V4_MAPPED_PREFIX, ...v4]);
  if (!address.includes(":")) return undefined;
  const v6 = parseIPv6(address);
  return v6 ? Uint8Array.from(v6) : undefined;
}

function isV4Mapped(bytes: Uint8Array): boolean {
  return V4_MAPPED_PREFIX.every((byte, i) => bytes[i] === byte);
}

/**
 * The address as logs and the per-address limit use it: dotted IPv4 for IPv4 and IPv4-mapped IPv6,
 * otherwise the RFC 5952 form (lower case, the longest run of zero groups as `::`).
 */
export function formatIp(bytes: Uint8Array): string {
  if (isV4Mapped(bytes)) return Array.from(bytes.subarray(12)).join(".");
  const groups = Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  let bestStart = -1;
  let bestLength = 1; // a single zero group is not shortened (RFC 5952 §4.2.2)
  for (let start = 0; start < 8; ) {
    let end = start;
    while (end < 8 && groups[end] === 0) end++;
    if (end - start > bestLength) [bestStart, bestLength] = [start, end - start];
    start = end === start ? start + 1 : end;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart === -1) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}

/** An address (`10.0.0.1`, `::1`) or a CIDR block (`10.0.0.0/8`, `fd00::/8`), or undefined. */
export function parseAddressRange(text: string): AddressRange | undefined {
  const [address = "", prefix, ...extra] = text.trim().split("/");
  const bytes = parseIp(address);
  if (!bytes || extra.length > 0 || address.includes("%")) return undefined;
  const isV4 = parseIPv4(address.trim()) !== undefined;
  if (prefix === undefined) return { bytes, prefixBits: 128 };
  const bits = Number(prefix);
  if (!/^\d{1,3}$/.test(prefix) || bits > (isV4 ? 32 : 128)) return undefined;
  return { bytes, prefixBits: isV4 ? 96 + bits : bits };
}

/** True when `address` (16 bytes) lies in `range`. */
export function inRange(address: Uint8Array, range: AddressRange): boolean {
  const wholeBytes = range.prefixBits >> 3;
  for (let i = 0; i < wholeBytes; i++) if (address[i] !== range.bytes[i]) return false;
  const restBits = range.prefixBits & 7;
  if (restBits === 0) return true;
  const mask = (0xff << (8 - restBits)) & 0xff;
  return (address[wholeBytes]! & mask) === (range.bytes[wholeBytes]! & mask);
}
