// The opening handshake of RFC 6455 §4.1 over a bare TCP socket, checked as a client must check it.
import { createHash, randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";
import { hostAndPort } from "../raw-http.ts";

/** The GUID every server appends to the key (§1.3). */
const handshakeGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/** A socket right after a 101, paused so no frame byte is lost, and any bytes that came with the head. */
export interface UpgradedSocket {
  socket: Socket;
  /** Bytes after the blank line of the 101 (a server may send frames at once). */
  leftover: Uint8Array;
}

/** The Sec-WebSocket-Accept a server must answer for `key` (§4.2.2 step 5.4). */
export function expectedAccept(key: string): string {
  return createHash("sha1").update(key + handshakeGuid).digest("base64");
}

/** Connects to `path` on `baseUrl`, sends an upgrade request and checks the 101 (§4.1, client steps 1-6). */
export function upgrade(baseUrl: string, path: string, timeoutMs = 5000): Promise<UpgradedSocket> {
  const { host, port } = hostAndPort(baseUrl);
  const key = randomBytes(16).toString("base64");
  const request = [
    `GET ${path} HTTP/1.1`,
    `Host: ${host}:${port}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    `Sec-WebSocket-Key: ${key}`,
    "Sec-WebSocket-Version: 13",
    "",
    "",
  ].join("\r\n");

  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    let received = Buffer.alloc(0);
    const fail = (message: string) => {
      clearTimeout(deadline);
      socket.destroy();
      reject(new Error(`${message}; received ${JSON.stringify(received.toString("latin1").slice(0, 500))}`));
    };
    const deadline = setTimeout(() => fail(`no 101 from ${baseUrl}${path} within ${timeoutMs} ms`), timeoutMs);

    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const headEnd = received.indexOf("\r\n\r\n");
      if (headEnd === -1) return;
      socket.pause();
      socket.off("data", onData);
      socket.off("end", onEnd);
      socket.off("error", onError);
      const head = received.subarray(0, headEnd).toString("latin1");
      const [statusLine = "", ...lines] = head.split("\r\n");
      const headers = new Map(lines.map((line) => [line.slice(0, line.indexOf(":")).trim().toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]));
      if (!/^HTTP\/1\.1 101 /.test(statusLine)) return fail(`expected a 101, got ${JSON.stringify(statusLine)}`);
      if (headers.get("sec-websocket-accept") !== expectedAccept(key)) return fail("wrong Sec-WebSocket-Accept (§4.1 client step 4)");
      // §4.1 client step 5: no extension was offered, so none may be in use.
      if (headers.has("sec-websocket-extensions")) return fail("server answered with an extension the client did not offer");
      clearTimeout(deadline);
      resolve({ socket, leftover: new Uint8Array(received.subarray(headEnd + 4)) });
    };
    const onEnd = () => fail("server closed the connection during the handshake");
    const onError = (error: Error) => fail(`socket error during the handshake: ${error.message}`);
    socket.on("data", onData);
    socket.on("end", onEnd);
    socket.on("error", onError);
    socket.write(request);
  });
}
