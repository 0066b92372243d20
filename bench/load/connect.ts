// Opens many client sockets with a bounded number of handshakes in flight, so a server's accept
// queue is not flooded (which would measure SYN retries, not the server).
import WebSocket from "ws";
import { clientOptions } from "./client-options.ts";

/** The sockets that opened, and how many did not. */
export interface OpenedSockets {
  sockets: WebSocket[];
  errors: number;
  firstError?: string;
}

/** Opens one socket; resolves with it, or with the reason it failed. */
export function openSocket(url: string): Promise<WebSocket | Error> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, clientOptions());
    socket.binaryType = "nodebuffer";
    const fail = (error: Error) => {
      socket.off("open", succeed);
      socket.terminate();
      resolve(error);
    };
    const succeed = () => {
      socket.off("error", fail);
      resolve(socket);
    };
    socket.once("open", succeed);
    socket.once("error", fail);
  });
}

/** Opens `count` sockets, at most `concurrency` handshakes at a time, giving up at `deadline`. */
export async function openSockets(url: string, count: number, concurrency: number, deadline: number): Promise<OpenedSockets> {
  const result: OpenedSockets = { sockets: [], errors: 0 };
  let started = 0;
  const lane = async () => {
    while (started < count && Date.now() < deadline) {
      started += 1;
      const outcome = await openSocket(url);
      if (outcome instanceof Error) {
        result.errors += 1;
        result.firstError ??= outcome.message;
      } else {
        // A socket that errors later is counted by whoever uses it; this keeps it from throwing.
        outcome.on("error", () => {});
        result.sockets.push(outcome);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return result;
}

/** Drops every socket at once: the next scenario wants a quiet server, not 1000 close handshakes. */
export function dropAll(sockets: WebSocket[]): void {
  for (const socket of sockets) socket.terminate();
}
