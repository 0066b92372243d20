import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { upgradeRequestOf } from "./upgrade-request.ts";

/** What upgradeRequestOf reads of an IncomingMessage. */
function incoming(url: string, rawHeaders: string[], method = "GET", encrypted = false): IncomingMessage {
  const host = rawHeaders[rawHeaders.findIndex((name) => name.toLowerCase() === "host") + 1];
  return { url, method, rawHeaders, headers: { host }, socket: encrypted ? { encrypted: true } : {} } as unknown as IncomingMessage;
}

describe("upgradeRequestOf", () => {
  it("gives the app the normalised URL, the method and every header line", () => {
    const request = upgradeRequestOf(incoming("/a/../echo?x=1", ["Host", "h:1", "X-Hop", "a", "x-hop", "b"], "GET", true))!;
    expect(request.url).toBe("https://h:1/echo?x=1");
    expect(request.method).toBe("GET");
    expect(request.headers.get("x-hop")).toBe("a, b");
  });

  it("keeps a target that starts with // as a path, not a host", () => {
    expect(upgradeRequestOf(incoming("//evil.example/echo", ["Host", "h"]))!.url).toBe("http://h//evil.example/echo");
  });

  it("is undefined for a target or a header line that is not valid", () => {
    expect(upgradeRequestOf(incoming("/echo", ["Host", "h h"]))).toBeUndefined();
    expect(upgradeRequestOf(incoming("/echo", ["Host", "h", "Bad Name", "v"]))).toBeUndefined();
  });

  it("behaves as a real Request for every other member, from a Request built on first use", async () => {
    const request = upgradeRequestOf(incoming("/echo?x=1", ["Host", "h", "Authorization", "Bearer t"]))!;
    expect(request).toBeInstanceOf(Request);
    expect(request.signal.aborted).toBe(false);
    expect(request.cache).toBe("default");
    expect(request.bodyUsed).toBe(false);
    const copy = request.clone();
    expect(copy.url).toBe("http://h/echo?x=1");
    expect(copy.headers.get("authorization")).toBe("Bearer t");
    expect(await request.text()).toBe("");
    // One Request behind it, built once: the same signal every time.
    expect(request.signal).toBe(request.signal);
  });

  it("reads the body of a plain request that has one from the IncomingMessage", async () => {
    const req = Object.assign(Readable.from([Buffer.from("a=1&b=2")]), incoming("/form", ["Host", "h", "Content-Type", "text/plain"], "POST"));
    const request = upgradeRequestOf(req)!;
    expect(await request.text()).toBe("a=1&b=2");
  });
});

describe("the URL and headers the app reads", () => {
  it.each([
    ["127.0.0.1:40123", "/echo?x=1"],
    ["example.com", "/ws"],
    ["Example.COM:80", "/a/./b/../ws"],
    ["h:443", "/%2e%2e/echo"],
    ["[::1]:8787", "/echo#frag"],
    ["h", "/a b|c^{d}"],
    ["h:65535", "/x"],
  ])("on host %j, target %j: the URL a Fetch Request would have", (host, target) => {
    expect(upgradeRequestOf(incoming(target, ["Host", host]))!.url).toBe(new Request(`http://${host}${target}`).url);
  });

  it("refuses a port past 65535", () => {
    expect(upgradeRequestOf(incoming("/x", ["Host", "h:65536"]))).toBeUndefined();
  });

  it("answers lookups as a Headers made from the same lines would", () => {
    const lines = ["Host", "h", "X-Forwarded-For", " 192.0.2.1 ", "x-forwarded-for", "198.51.100.7", "Cookie", "a=1", "cookie", "b=2"];
    const request = upgradeRequestOf(incoming("/echo", lines))!;
    const real = new Headers();
    for (let i = 0; i < lines.length; i += 2) real.append(lines[i]!, lines[i + 1]!);
    for (const name of ["host", "X-FORWARDED-FOR", "cookie", "absent"]) expect(request.headers.get(name)).toBe(real.get(name));
    expect(request.headers.has("absent")).toBe(false);
    expect([...request.headers]).toEqual([...real]);
    expect(request.headers).toBeInstanceOf(Headers);
  });
});
