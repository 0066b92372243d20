// The request the app sees for an HTTP upgrade on node:http: url, method and headers as fields, the
// members Hono and the upgrade checks read, and a real Fetch Request built only when something reads
// any other member (a middleware's `signal`, `clone()`, a body). On Deno, constructing a Request
// (WebIDL conversions, a second copy of the header list, its state) is garbage that a burst of
// handshakes promotes to the old generation, and a process that then idles never collects it; so the
// common handshake builds none. Plain requests reach the app as the same object (request-listener.ts).
import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { headersOfLines } from "./request-headers.ts";

// Where a body comes from, should one be read: the IncomingMessage, under a key no middleware reads by chance.
const incomingKey = Symbol("incoming");

/** An upgrade request as the app reads it: a Request (its prototype chain reaches Request.prototype). */
class UpgradeRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  /** Plain requests share this class (request-listener.ts), and may have a body. */
  readonly [incomingKey]: IncomingMessage;
  constructor(url: string, method: string, headers: Headers, incoming: IncomingMessage) {
    this.url = url;
    this.method = method;
    this.headers = headers;
    this[incomingKey] = incoming;
  }
}
Object.setPrototypeOf(UpgradeRequest.prototype, Request.prototype);

// The real Request of an upgrade request, once one was asked for. Not a field: the handshakes that
// never need one stay as small as before.
const realRequests = new WeakMap<UpgradeRequest, Request>();

function realRequestOf(request: UpgradeRequest): Request {
  let real = realRequests.get(request);
  if (!real) {
    const { method } = request;
    // GET and HEAD carry no body (an upgrade is a GET); any other method streams the IncomingMessage's.
    const body = method === "GET" || method === "HEAD" ? undefined : { body: Readable.toWeb(request[incomingKey]) as ReadableStream, duplex: "half" };
    real = new Request(request.url, { method, headers: [...request.headers], ...body } as RequestInit);
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
    const headers = headersOfLines(req.rawHeaders);
    if (!headers) return undefined;
    return new UpgradeRequest(urlOf(scheme, req.headers.host ?? "localhost", target), req.method ?? "GET", headers, req) as unknown as Request;
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
  const hostParts = plainHost.exec(host);
  const port = hostParts?.[1];
  const plain = hostParts !== null && port !== defaultPorts[scheme] && Number(port ?? 0) <= 65535 && plainTarget.test(target) && !dotSegment.test(target);
  if (plain) return `${scheme}://${host}${target}`;
  return new URL(target.startsWith("/") ? `${scheme}://${host}${target}` : target).href;
}
