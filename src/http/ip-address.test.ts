import { describe, expect, it } from "vitest";
import { formatIp, inRange, parseAddressRange, parseIp } from "./ip-address.ts";

const canonical = (text: string) => {
  const bytes = parseIp(text);
  return bytes && formatIp(bytes);
};

describe("parseIp and formatIp", () => {
  it.each([
    ["192.0.2.1", "192.0.2.1"],
    ["::ffff:192.0.2.1", "192.0.2.1"],
    ["::FFFF:c000:0201", "192.0.2.1"],
    ["::1", "::1"],
    ["::", "::"],
    ["2001:DB8:0:0:0:0:0:1", "2001:db8::1"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"],
    ["fe80::1%eth0", "fe80::1"],
    ["::1.2.3.4", "::102:304"],
    [" 10.0.0.1 ", "10.0.0.1"],
  ])("reads %s as %s", (text, expected) => {
    expect(canonical(text)).toBe(expected);
  });

  it.each(["", "unknown", "_hidden", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4:80", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "::ffff:1.2.3.256", "g::1"])(
    "refuses %j",
    (text) => {
      expect(parseIp(text)).toBeUndefined();
    },
  );
});

describe("parseAddressRange and inRange", () => {
  const within = (range: string, address: string) => inRange(parseIp(address)!, parseAddressRange(range)!);

  it("matches IPv4 CIDR blocks, including their IPv4-mapped IPv6 form", () => {
    expect(within("10.0.0.0/8", "10.255.1.2")).toBe(true);
    expect(within("10.0.0.0/8", "11.0.0.1")).toBe(false);
    expect(within("10.0.0.0/8", "::ffff:10.1.2.3")).toBe(true);
    expect(within("192.168.1.0/25", "192.168.1.127")).toBe(true);
    expect(within("192.168.1.0/25", "192.168.1.128")).toBe(false);
    expect(within("0.0.0.0/0", "203.0.113.9")).toBe(true);
    expect(within("0.0.0.0/0", "2001:db8::1")).toBe(false);
  });

  it("matches single addresses and IPv6 blocks", () => {
    expect(within("127.0.0.1", "127.0.0.1")).toBe(true);
    expect(within("127.0.0.1", "127.0.0.2")).toBe(false);
    expect(within("fd00::/8", "fd12:3456::1")).toBe(true);
    expect(within("fd00::/8", "fe80::1")).toBe(false);
    expect(within("2001:db8::/33", "2001:db8:7fff::1")).toBe(true);
    expect(within("2001:db8::/33", "2001:db8:8000::1")).toBe(false);
    expect(within("::1", "::1")).toBe(true);
    expect(within("::ffff:0:0/96", "198.51.100.1")).toBe(true);
  });

  it.each(["10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/8/8", "10.0.0.0/-1", "example.com", "fe80::1%eth0", "10.0.0.0/08x"])("refuses %j", (text) => {
    expect(parseAddressRange(text)).toBeUndefined();
  });
});
