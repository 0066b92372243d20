// The request the app sees for an HTTP upgrade on node:http: url, method and headers as fields, the
// members Hono and the upgrade checks read, and a real Fetch Request built only when something reads
// any other member (a middleware's `signal`, `clone()`, a body). On Deno, constructing a Request
// (WebIDL conversions, a second copy of the header list, its state) is garbage that a burst of
// handshakes promotes to the old generation, and a process that then idles never collects it; so the
// common handshake builds none. @hono/node-server serves plain requests the same way.
import type { IncomingMessage } from "node:http";

/** An upgrade request as the app reads it: a Request (its prototype chain reaches Request.prototype). */
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
Object.setPrototypeOf(UpgradeRequest.prototype, Request.prototype);

// The real Request of an upgrade request, once one was asked for. Not a field: the handshakes that
// never need one stay as small as before.
const realRequests = new WeakMap<UpgradeRequest, Request>();

function realRequestOf(request: UpgradeRequest): Request {
  let real = realRequests.get(request);
  if (!real) {
    real = new Request(request.url, { method: request.method, headers: request.headers });
    realRequests.set(request, real);
  }
  return real;
}

// Every other member of Request (and the body members it inherits) answers from the real Request:
// on Request.prototype itself they would throw "Illegal invocation" on this object.
const ownMembers = new Set<PropertyKey>(["constructor", "url", "method", "headers"]);
for (let proto: object | null = Request.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
  for (const name of Reflect.ownKeys(proto)) {
    if (ownMembers.has(name) || Object.hasOwn(UpgradeRequest.prototype, name)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(proto, name)!;
    if (descriptor.get) {
      const get = descriptor.get;
      Object.defineProperty(UpgradeRequest.prototype, name, { configurable: true, get(this: UpgradeRequest) { return get.call(realRequestOf(this)); } });
    } else if (typeof descriptor.value === "function") {
      const method = descriptor.value as (...args: unknown[]) => unknown;
      Object.defineProperty(UpgradeRequest.prototype, name, { configurable: true, writable: true, value(this: UpgradeRequest, ...args: unknown[]) { return method.apply(realRequestOf(this), args); } });
    }
  }
}

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
