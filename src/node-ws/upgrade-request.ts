// The request the app sees for an HTTP upgrade on node:http: what Hono and the upgrade checks read of
// it (url, method, headers), not a Fetch Request built per handshake. On Deno, constructing a Request
// (WebIDL conversions, a second copy of the header list, its state) is garbage that a burst of
// handshakes promotes to the old generation, and a process that then idles never collects it.
// @hono/node-server serves plain requests the same way, with a lightweight object on Request.prototype.
import type { IncomingMessage } from "node:http";
import { headersOfLines } from "./request-headers.ts";

/** An upgrade request as the app reads it. Its prototype chain reaches Request.prototype (below). */
class UpgradeRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  constructor(url: string, method: string, headers: Headers) {
    this.url = url;
    this.method = method;
    this.headers = headers;
  }
}
// Any other member of a Request (a body, a signal, clone) is found on Request.prototype and throws
// "Illegal invocation": a handler that needs more than this fails loudly instead of reading undefined.
Object.setPrototypeOf(UpgradeRequest.prototype, Request.prototype);

/** The request for `req`, or undefined when its target or a header is not valid (answered 400). */
export function upgradeRequestOf(req: IncomingMessage): Request | undefined {
  try {
    const target = req.url ?? "/";
    const scheme = "encrypted" in req.socket ? "https" : "http";
    const headers = headersOfLines(req.rawHeaders);
    if (!headers) return undefined;
    return new UpgradeRequest(urlOf(scheme, req.headers.host ?? "localhost", target), req.method ?? "GET", headers) as unknown as Request;
  } catch {
    return undefined;
  }
}

// A host and a target that a URL parser would give back unchanged: lower-case names, a port that is
// not the scheme's default, a path without dot segments, percent signs or characters it would escape.
const plainHost = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::([1-9][0-9]{0,4}))?$/;
const plainTarget = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/?]*$/;
const dotSegment = /\/\.\.?(?:[/?]|$)/;
const defaultPorts: Record<string, string> = { http: "80", https: "443" };

/**
 * The URL a Fetch Request would have for `target` on `host`: "/a/../echo" is "/echo". Concatenated,
 * not resolved against a base, so a target like "//x" stays a path; parsed only when it is not plain.
 * Throws for a host or target that is not valid.
 */
function urlOf(scheme: string, host: string, target: string): string {
  const port = plainHost.exec(host)?.[1];
  const plain = plainHost.test(host) && port !== defaultPorts[scheme] && Number(port ?? 0) <= 65535 && plainTarget.test(target) && !dotSegment.test(target);
  if (plain) return `${scheme}://${host}${target}`;
  return new URL(target.startsWith("/") ? `${scheme}://${host}${target}` : target).href;
}
