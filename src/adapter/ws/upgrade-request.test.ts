import type { IncomingMessage } from "node:http";
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
});
