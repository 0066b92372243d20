import { describe, expect, it } from "vitest";
import { clientAddressResolver } from "./client-address.ts";

/** Headers with each [name, value] as its own header line, as a proxy chain may send them. */
function headerLines(...lines: Array<[string, string]>): Headers {
  const headers = new Headers();
  for (const [name, value] of lines) headers.append(name, value);
  return headers;
}

const xff = (value: string) => headerLines(["X-Forwarded-For", value]);
const forwarded = (value: string) => headerLines(["Forwarded", value]);

describe("clientAddressResolver", () => {
  it("takes the peer and never reads the headers when nothing is trusted", () => {
    const resolve = clientAddressResolver([]);
    expect(resolve("127.0.0.1", xff("203.0.113.9"))).toBe("127.0.0.1");
    expect(resolve("::ffff:198.51.100.7", forwarded("for=203.0.113.9"))).toBe("198.51.100.7");
    expect(resolve(undefined, xff("203.0.113.9"))).toBeUndefined();
  });

  it("ignores the headers of a peer that is not a trusted proxy, so a client cannot forge its address", () => {
    const resolve = clientAddressResolver(["10.0.0.1"]);
    expect(resolve("198.51.100.7", xff("203.0.113.9"))).toBe("198.51.100.7");
    expect(resolve("198.51.100.7", forwarded("for=203.0.113.9"))).toBe("198.51.100.7");
  });

  it("takes the right-most untrusted hop of X-Forwarded-For behind a trusted proxy", () => {
    const resolve = clientAddressResolver(["10.0.0.0/8"]);
    expect(resolve("10.0.0.1", xff("198.51.100.7"))).toBe("198.51.100.7");
    // The client wrote 203.0.113.9 itself; the trusted proxy appended what it saw.
    expect(resolve("10.0.0.1", xff("203.0.113.9, 198.51.100.7"))).toBe("198.51.100.7");
    // Two trusted proxies in a row.
    expect(resolve("10.0.0.1", xff("203.0.113.9, 198.51.100.7, 10.9.9.9"))).toBe("198.51.100.7");
  });

  it("reads several X-Forwarded-For lines as one list, in order", () => {
    const resolve = clientAddressResolver(["10.0.0.0/8"]);
    expect(resolve("10.0.0.1", headerLines(["X-Forwarded-For", "203.0.113.9"], ["X-Forwarded-For", "198.51.100.7, 10.2.2.2"]))).toBe("198.51.100.7");
  });

  it("takes the left-most hop when every hop is a trusted proxy", () => {
    const resolve = clientAddressResolver(["10.0.0.0/8"]);
    expect(resolve("10.0.0.1", xff("10.1.1.1, 10.2.2.2"))).toBe("10.1.1.1");
    expect(resolve("10.0.0.1", new Headers())).toBe("10.0.0.1");
  });

  it("reads Forwarded for= values, quoted, with ports, IPv6 in brackets, over several lines", () => {
    const resolve = clientAddressResolver(["10.0.0.0/8", "fd00::/8"]);
    expect(resolve("10.0.0.1", forwarded("for=198.51.100.7"))).toBe("198.51.100.7");
    expect(resolve("10.0.0.1", forwarded('for="198.51.100.7:47011";proto=https'))).toBe("198.51.100.7");
    expect(resolve("10.0.0.1", forwarded('For="[2001:DB8:cafe::17]:4711"'))).toBe("2001:db8:cafe::17");
    expect(resolve("10.0.0.1", forwarded('proto=https;for="[2001:db8::1]"'))).toBe("2001:db8::1");
    expect(resolve("10.0.0.1", forwarded("for=203.0.113.9, for=198.51.100.7;by=10.0.0.1"))).toBe("198.51.100.7");
    expect(resolve("fd00::5", headerLines(["Forwarded", "for=203.0.113.9"], ["Forwarded", 'for="[fd00::7]"']))).toBe("203.0.113.9");
    // A comma or semicolon inside a quoted value does not split it.
    expect(resolve("10.0.0.1", forwarded('for=198.51.100.7;x="a,b;c"'))).toBe("198.51.100.7");
  });

  it("stops at a hop that is not an address: the last believable address stands", () => {
    const resolve = clientAddressResolver(["10.0.0.0/8"]);
    expect(resolve("10.0.0.1", forwarded("for=unknown"))).toBe("10.0.0.1");
    expect(resolve("10.0.0.1", forwarded('for="_hidden", for=10.3.3.3'))).toBe("10.3.3.3");
    expect(resolve("10.0.0.1", forwarded("proto=https"))).toBe("10.0.0.1");
    expect(resolve("10.0.0.1", xff("not-an-address"))).toBe("10.0.0.1");
  });

  it("prefers X-Forwarded-For: a proxy that appends to it passes a client's own Forwarded header on untouched", () => {
    const resolve = clientAddressResolver(["127.0.0.1"]);
    const headers = headerLines(["Forwarded", "for=203.0.113.9"], ["X-Forwarded-For", "198.51.100.7"]);
    expect(resolve("127.0.0.1", headers)).toBe("198.51.100.7");
  });

  it("accepts X-Forwarded-For entries with ports and IPv6, and matches IPv4-mapped peers", () => {
    const resolve = clientAddressResolver(["127.0.0.1", "::1"]);
    expect(resolve("::ffff:127.0.0.1", xff("198.51.100.7:5000"))).toBe("198.51.100.7");
    expect(resolve("::1", xff("2001:db8::1"))).toBe("2001:db8::1");
    expect(resolve("::1", xff("[2001:db8::1]:443"))).toBe("2001:db8::1");
    expect(resolve("127.0.0.1", xff("::ffff:198.51.100.7"))).toBe("198.51.100.7");
  });

  it("passes a peer it cannot parse through as it is", () => {
    expect(clientAddressResolver(["127.0.0.1"])("some-unix-socket", xff("198.51.100.7"))).toBe("some-unix-socket");
  });
});
