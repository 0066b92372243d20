// The client's address behind reverse proxies (TRUST_PROXY). Each proxy appends the address it was
// reached from to the request's forwarding header, so the header reads client, proxy 1, proxy 2, ...
// and the direct peer is the last proxy. Only what a trusted proxy appended can be believed: walking
// from the right, the first address that is not a trusted proxy is the client. Everything to its left
// was written by that client and may be forged.
// Not proxy-addr: it reads X-Forwarded-For only (not RFC 7239 Forwarded) from a Node request object,
// and takes an entry with a port, or one that is not an address at all, as the client's address.
import { formatIp, inRange, parseAddressRange, parseIp, type AddressRange } from "./ip-address.ts";

/** The client's address of a request, from its direct peer and its headers. */
export type ClientAddressResolver = (peer: string | undefined, headers: Headers) => string | undefined;

/** One hop of a forwarding header: an address, or undefined for `unknown`, an obfuscated name or garbage. */
type Hop = Uint8Array | undefined;

/** The address of an `X-Forwarded-For` entry or a `Forwarded` node (RFC 7239 §6), without port or quotes. */
function hopAddress(node: string): Hop {
  let text = node.trim();
  if (text.startsWith('"') && text.endsWith('"') && text.length >= 2) text = text.slice(1, -1).replace(/\\(.)/g, "$1");
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) return parseIp(bracketed[1]!);
  // An IPv4 address with a port; a bare IPv6 address has more than one colon.
  const withPort = /^([\d.]+):\d+$/.exec(text);
  return parseIp(withPort ? withPort[1]! : text);
}

/** Splits on `separator` outside quoted strings. */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted && char === "\\" && i + 1 < text.length) {
      current += char + text[++i];
      continue;
    }
    if (char === '"') quoted = !quoted;
    if (char === separator && !quoted) {
      parts.push(current);
      current = "";
    } else current += char;
  }
  parts.push(current);
  return parts;
}

/** The `for=` of every element of a `Forwarded` header, in order; an element without one is an unknown hop. */
function forwardedHops(header: string): Hop[] {
  return splitOutsideQuotes(header, ",").map((element) => {
    for (const pair of splitOutsideQuotes(element, ";")) {
      const equals = pair.indexOf("=");
      if (equals > 0 && pair.slice(0, equals).trim().toLowerCase() === "for") return hopAddress(pair.slice(equals + 1));
    }
    return undefined;
  });
}

/**
 * The hops the proxies reported, client first. `X-Forwarded-For` is read when present: it is what nginx,
 * HAProxy, Caddy, Traefik and cloud load balancers append to, so with any of them a `Forwarded` header
 * can only have come from the client. `Forwarded` is read only when there is no `X-Forwarded-For`
 * (docs/deploying.md#trust_proxy). Several header lines count as one list, in order (RFC 9110 §5.3).
 */
function reportedHops(headers: Headers): Hop[] {
  const xForwardedFor = headers.get("x-forwarded-for");
  if (xForwardedFor !== null) return xForwardedFor.split(",").map(hopAddress);
  const forwarded = headers.get("forwarded");
  return forwarded === null ? [] : forwardedHops(forwarded);
}

/**
 * Parses TRUST_PROXY entries (already validated by the configuration) into a resolver. With no
 * entries the peer is the client and the headers are never read.
 */
export function clientAddressResolver(trustedProxies: readonly string[]): ClientAddressResolver {
  const ranges = trustedProxies.flatMap((entry) => parseAddressRange(entry) ?? []);
  const trusted = (address: Uint8Array) => ranges.some((range: AddressRange) => inRange(address, range));
  // Nothing trusted: the peer is the client, and only its form can change. A socket reports an IPv4
  // peer in dotted form already, which parsing and formatting would give back; skipping them spares
  // garbage per handshake, which a burst of handshakes leaves in the heap of an idle process.
  if (ranges.length === 0) return (peer) => (peer === undefined || !peer.includes(":") ? peer : canonicalForm(peer));
  return (peer, headers) => {
    const peerAddress = peer === undefined ? undefined : parseIp(peer);
    if (!peerAddress) return peer;
    let client = peerAddress;
    if (trusted(client)) {
      const hops = reportedHops(headers);
      for (let i = hops.length - 1; i >= 0; i--) {
        const hop = hops[i];
        // A hop that is not an address cannot be judged: the last address we could believe stands.
        if (!hop) break;
        client = hop;
        if (!trusted(hop)) break;
      }
    }
    return formatIp(client);
  };
}

/** An IPv6 peer in the form logs and limits use (`::ffff:10.1.2.3` is `10.1.2.3`), or as it came if not an address. */
function canonicalForm(peer: string): string {
  const bytes = parseIp(peer);
  return bytes ? formatIp(bytes) : peer;
}
