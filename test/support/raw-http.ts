// Sends exact bytes over TCP and reads the raw answer: a client library would normalise
// exactly the details (header case, status line) that the contract is about.
import { connect, type Socket } from "node:net";
import { connect as connectTls } from "node:tls";
import { trustedCa } from "./trusted-ca.ts";

/** A parsed HTTP response head, with the raw text kept for byte-level assertions. */
export interface RawResponse {
  raw: string;
  statusLine: string;
  status: number;
  /** Lower-cased header names. */
  headers: Map<string, string>;
  body: string;
}

/** A TCP connection to the base URL's server, inside TLS (trusting the test CA) for an https:// one. */
export function connectTo(baseUrl: string): Socket {
  const { host, port } = hostAndPort(baseUrl);
  return new URL(baseUrl).protocol === "https:" ? connectTls({ host, port, ca: trustedCa() }) : connect({ host, port });
}

/** The host and port of an http:// base URL. */
export function hostAndPort(baseUrl: string): { host: string; port: number } {
  const url = new URL(baseUrl);
  return { host: url.hostname.replace(/^\[|\]$/g, ""), port: Number(url.port) };
}

/** The status code of an HTTP response's first line, or undefined if it is not one. */
export function statusOf(head: string): number | undefined {
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(head);
  return match ? Number(match[1]) : undefined;
}

/** A response as text, split into its status line, lower-cased headers and body. */
export function parseResponse(raw: string): RawResponse {
  const headEnd = raw.indexOf("\r\n\r\n");
  const head = headEnd === -1 ? raw : raw.slice(0, headEnd);
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { raw, statusLine, status: Number(statusLine.split(" ")[1]), headers, body: headEnd === -1 ? "" : raw.slice(headEnd + 4) };
}

/** Writes `request` as-is; resolves with what arrived once the response head is complete and the server
 * closed or went quiet for `settleMs` (a 101 keeps the socket open). */
export function rawRequest(baseUrl: string, request: string | Uint8Array, settleMs = 150): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connectTo(baseUrl);
    let received = Buffer.alloc(0);
    let quiet: ReturnType<typeof setTimeout> | undefined;
    const finish = () => {
      clearTimeout(quiet);
      clearTimeout(deadline);
      socket.destroy();
      resolve(parseResponse(received.toString("latin1")));
    };
    const deadline = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete response from ${baseUrl} within 5 s; got ${JSON.stringify(received.toString("latin1"))}`));
    }, 5000);
    socket.on("data", (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.includes("\r\n\r\n")) {
        clearTimeout(quiet);
        quiet = setTimeout(finish, settleMs);
      }
    });
    socket.on("end", finish);
    // A server that answers and closes at once while the request is still arriving makes its kernel
    // reset the connection: the status line that came first is the answer.
    socket.on("error", (error) => {
      if (statusOf(received.toString("latin1")) !== undefined) return finish();
      clearTimeout(deadline);
      reject(error);
    });
    socket.write(request);
  });
}

/** A GET request with CRLF line ends, the given header lines, and a Host header. */
export function getRequest(baseUrl: string, path: string, headerLines: string[], method = "GET"): string {
  const { host, port } = hostAndPort(baseUrl);
  return [`${method} ${path} HTTP/1.1`, `Host: ${host}:${port}`, ...headerLines, "", ""].join("\r\n");
}
