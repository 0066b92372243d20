// Our own WebSocket upgrade over `ws`, in place of @hono/node-server's `upgradeWebSocket`. That helper
// keeps the Hono Context (and through it the Request, its Headers and the IncomingMessage) alive for
// the whole connection and copies every binary message. Here the app still decides every upgrade,
// but once it accepts, only the `ws` socket and the session's events survive the handshake.
import { STATUS_CODES, type IncomingMessage, type Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, type RawData, type WebSocketServer } from "ws";
import type { Bytes } from "../../core/session.ts";
import type { BufferedBytesOf, RuntimeSocket, UpgradeHandler } from "../contract.ts";
import { HostedSession, type ProcessServices } from "../../host/hosted-session.ts";
import type { Logger } from "../../log.ts";
import { upgradeRequestOf } from "./upgrade-request.ts";

/**
 * The Hono `env` of a request that arrived as an HTTP upgrade. `incoming` is what getConnInfo reads
 * for the remote address; `session` is where the upgrade handler leaves an accepted session.
 */
export class UpgradeEnv {
  readonly incoming: IncomingMessage;
  session: HostedSession | undefined;
  constructor(incoming: IncomingMessage) {
    this.incoming = incoming;
  }
}

/**
 * The app's upgrade handler: leaves the accepted session in the request's env, where the `upgrade`
 * listener finds it and opens the socket; ws.handleUpgrade writes the 101.
 */
export function acceptUpgrade(services: ProcessServices): UpgradeHandler {
  return (c, upgrade) => {
    // Node's parser routes every Upgrade request to the `upgrade` event, so a plain request that
    // passed the checks cannot happen; if it ever does, there is no socket to hand to ws.
    if (!(c.env instanceof UpgradeEnv)) return { opened: false, response: new Response("Internal Server Error\n", { status: 500 }) };
    c.env.session = new HostedSession(upgrade, services);
    return { opened: true };
  };
}

type Fetch = (request: Request, env: UpgradeEnv) => Response | Promise<Response>;

/** Answers HTTP upgrades on `server` with the app: a refusal as written by the app, or a WebSocket. */
export function serveUpgrades(server: Server, webSocketServer: WebSocketServer, fetch: Fetch, log: Logger): void {
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgrade(req, socket, head, webSocketServer, fetch).catch((error: unknown) => {
      log.error("error", { path: req.url, message: error instanceof Error ? error.message : String(error) });
      socket.destroy();
    });
  });
  server.on("close", () => webSocketServer.close());
}

// A peer that resets while the app decides must not become an uncaught 'error'; ws installs its own
// handler once it takes the socket.
const ignoreError = () => {};

async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, webSocketServer: WebSocketServer, fetch: Fetch): Promise<void> {
  socket.on("error", ignoreError);
  const request = upgradeRequestOf(req);
  if (!request) return writeResponse(socket, new Response("Bad Request\n", { status: 400 }), false);
  const env = new UpgradeEnv(req);
  const response = await fetch(request, env);
  const session = env.session;
  if (!session) return writeResponse(socket, response, req.method === "HEAD");
  // handleUpgrade calls back synchronously and keeps no reference to this callback, so nothing of
  // this scope (request, env, Context) outlives the handshake.
  webSocketServer.handleUpgrade(req, socket, head, (ws) => {
    socket.off("error", ignoreError);
    // The heartbeat learns of sockets through this event, which noServer mode does not emit itself.
    webSocketServer.emit("connection", ws, req);
    bindSession(ws as SessionWebSocket, socket, session);
  });
}

// We frame the body ourselves and close after it, so the app's framing headers do not apply.
const framingHeaders = new Set(["connection", "content-length", "keep-alive", "transfer-encoding"]);

/** Writes `response` to the raw socket as an HTTP/1.1 response with its headers and body, then ends it. */
async function writeResponse(socket: Duplex, response: Response, headOnly: boolean): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  if (socket.destroyed) return;
  const lines = [`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ""}`];
  response.headers.forEach((value, name) => {
    if (!framingHeaders.has(name)) lines.push(`${name}: ${value}`);
  });
  lines.push(`Content-Length: ${body.byteLength}`, "Connection: close", "", "");
  const head = Buffer.from(lines.join("\r\n"), "latin1");
  socket.end(headOnly ? head : Buffer.concat([head, body]));
}

/**
 * The ws socket of one connection, made by the WebSocketServer (its `WebSocket` option): it carries
 * its session, so the listeners below, shared by every connection, need no lookup and an idle
 * connection holds no closures of its own; and it sends checked text bytes as they are.
 */
export class SessionWebSocket extends WebSocket implements RuntimeSocket {
  session: HostedSession | undefined;

  sendTextBytes(data: Bytes): void {
    this.send(data, textFrame);
  }
}

const textFrame = { binary: false };

// The session of each TCP stream, for its drain event (ws keeps its own link to the socket private).
const sessionOfStream = new WeakMap<Duplex, HostedSession>();

/** Drives the session from a ws socket, which is itself the RuntimeSocket (send, close, pause, resume). */
function bindSession(ws: SessionWebSocket, stream: Duplex, session: HostedSession): void {
  ws.session = session;
  sessionOfStream.set(stream, session);
  session.opened(ws);
  ws.on("message", onMessage);
  // ws has answered the ping with a pong already: its bytes count against the send buffer too.
  ws.on("ping", onPing);
  ws.on("close", onClose);
  ws.on("error", onError);
  // ws has no drain event of its own; its bufferedAmount is what the TCP stream has not written yet.
  stream.on("drain", onDrain);
}

// ws types its listeners' `this` as its own WebSocket; the server makes only SessionWebSockets.
const sessionOf = (socket: WebSocket) => (socket as SessionWebSocket).session;

/** How the ws stack reads a socket's unsent bytes, for flow control. */
export const bufferedBytesOfWs: BufferedBytesOf = (socket) => (socket as SessionWebSocket).bufferedAmount;

function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  // binaryType "nodebuffer" (ws's default): one Buffer per message, text or binary. ws has checked a
  // text message's UTF-8, so the core takes it as bytes too and the echo sends it back without a
  // decode and an encode; the same Buffer goes back to ws.send, no copy.
  sessionOf(this)?.message(data as Buffer<ArrayBuffer>, !isBinary);
}

function onPing(this: WebSocket): void {
  sessionOf(this)?.answeredPing();
}

function onDrain(this: Duplex): void {
  sessionOfStream.get(this)?.drained();
}

function onClose(this: WebSocket, code: number, reason: Buffer): void {
  sessionOf(this)?.closed(code, reason.toString());
}

/** Protocol errors of the peer (ws closes with 1002/1007/1009 itself): a warning, without a stack. */
function onError(this: WebSocket, error: Error): void {
  sessionOf(this)?.failed(error.message);
}
