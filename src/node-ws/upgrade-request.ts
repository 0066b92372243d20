// The request the app sees for an HTTP upgrade on node:http: what Hono and the upgrade checks read of
// it (url, method, headers), not a Fetch Request built per handshake. On Deno, constructing a Request
// (WebIDL conversions, a second copy of the header list, its state) is garbage that a burst of
// handshakes promotes to the old generation, and a process that then idles never collects it.
// @hono/node-server serves plain requests the same way, with a lightweight object on Request.prototype.
import type { IncomingMessage } from "node:http";

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
    // Concatenated, not resolved against a base: a target like "//x" must stay a path. Parsed, so the
    // app routes the normalised URL a Fetch Request would have ("/a/../echo" is "/echo").
    const url = new URL(target.startsWith("/") ? `${scheme}://${req.headers.host ?? "localhost"}${target}` : target).href;
    const headers = new Headers();
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    return new UpgradeRequest(url, req.method ?? "GET", headers) as unknown as Request;
  } catch {
    return undefined;
  }
}
