// Replies to text that are never read (docs/security.md#what-a-client-can-make-the-server-hold): eight
// clients send 64 KiB text to the bot at 90 messages a second and read nothing. Each bot reply is a
// new message ("You have entered: ..."), so the server must stop reading them at MAX_BUFFERED_BYTES
// and make no more garbage per reply than the reply itself: its RSS stays within what flow control
// allows them, plus a fixed allowance for the heap. Node, Deno and Bun.
import type { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { ownServer } from "../support/own-server.ts";
import { deepestPid, rssKiB } from "../support/processes.ts";
import { encodeFrame } from "../support/wire/frame-encoder.ts";
import { upgrade } from "../support/wire/handshake.ts";
import { Opcode } from "../support/wire/opcodes.ts";

const MiB = 1024 * 1024;
const readers = 8;
const messageBytes = 64 * 1024;
const maxBufferedBytes = 4 * MiB;
const messagesPerSecond = 90;
const attackMs = 6_000;
/** What a garbage-collected heap may grow by under this load, on top of what flow control lets the readers hold. */
const heapAllowance = 64 * MiB;

const server = ownServer({ MAX_BUFFERED_BYTES: String(maxBufferedBytes), MAX_MESSAGE_BYTES: String(messageBytes), RATE_LIMIT: "100" });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("slow readers of the bot's text replies", () => {
  it("hold the server within MAX_BUFFERED_BYTES + two messages each, plus the heap allowance", async () => {
    const { baseUrl, child } = server();
    const pid = deepestPid(child.pid!);
    const before = rssKiB(pid)! * 1024;
    // upgrade() leaves each socket unread: the server's replies stay in the kernel and then in the server.
    const sockets: Socket[] = await Promise.all(Array.from({ length: readers }, async () => (await upgrade(baseUrl, "/ws")).socket));
    const frame = encodeFrame({ opcode: Opcode.text, payload: new Uint8Array(messageBytes).fill(0x61) });
    let peak = before;
    const started = Date.now();
    for (let tick = 0; Date.now() - started < attackMs; tick++) {
      // Written while TCP takes them (a few queued at most), so the client stays small.
      for (const socket of sockets) if (socket.writableLength < 4 * messageBytes) socket.write(frame);
      if (tick % 10 === 0) peak = Math.max(peak, (rssKiB(pid) ?? 0) * 1024);
      await sleep(1000 / messagesPerSecond);
    }
    peak = Math.max(peak, (rssKiB(pid) ?? 0) * 1024);
    for (const socket of sockets) socket.destroy();

    const bound = readers * (maxBufferedBytes + 2 * messageBytes) + heapAllowance;
    expect(peak - before, `RSS grew by ${((peak - before) / MiB).toFixed(1)} MiB; bound ${(bound / MiB).toFixed(1)} MiB`).toBeLessThanOrEqual(bound);
  });
});
