// How the Worker tells a connection's Durable Object which upgrade it is serving. The object is
// reachable only through its binding, so the header is trusted, but still checked for shape.
import type { AcceptedUpgrade } from "../src/adapter/contract.ts";

const UPGRADE_HEADER = "X-Multivac-Upgrade";

/** The client's upgrade request, carrying the accepted upgrade for the Durable Object. */
export function forwardUpgrade(request: Request, upgrade: AcceptedUpgrade): Request {
  // The original request is forwarded whole: workerd passes a 101 with a WebSocket back through
  // a Durable Object's fetch only when the request is itself an upgrade.
  const forwarded = new Request(request);
  forwarded.headers.set(UPGRADE_HEADER, JSON.stringify(upgrade));
  return forwarded;
}

/** The accepted upgrade a forwarded request carries, or undefined if it carries none. */
export function readForwardedUpgrade(request: Request): AcceptedUpgrade | undefined {
  const raw = request.headers.get(UPGRADE_HEADER);
  if (!raw) return undefined;
  const value = JSON.parse(raw) as Partial<AcceptedUpgrade>;
  if ((value.route !== "bot" && value.route !== "echo") || typeof value.path !== "string" || typeof value.id !== "string") {
    return undefined;
  }
  return {
    route: value.route,
    path: value.path,
    id: value.id,
    protocol: typeof value.protocol === "string" ? value.protocol : undefined,
    remoteAddress: typeof value.remoteAddress === "string" ? value.remoteAddress : undefined,
  };
}
