// One driver policy on every runtime: a throw in the core costs that connection only (1011 and one
// error line), while another connection of the same server keeps working. The test entry's core
// throws on the bot's `date` (test/entries/test-app.ts).
import { once } from "node:events";
import { describe, expect, it, vi } from "vitest";
import type WebSocket from "ws";
import { TEST_TOKEN, THROWING_MESSAGE } from "../entries/test-app.ts";
import { attemptUpgrade, type Attempt } from "../support/upgrade-attempt.ts";
import { ownTestEntry } from "../support/own-server.ts";
import { wsUrl } from "../support/ws-client.ts";

const server = ownTestEntry();
const authorized = { headers: { Authorization: `Bearer ${TEST_TOKEN}` } };

function opened(attempt: Attempt): { socket: WebSocket; closed: Promise<number> } {
  if (!("socket" in attempt)) throw new Error(`upgrade refused with ${attempt.status}`);
  return attempt;
}

async function reply(socket: WebSocket, text: string): Promise<string> {
  const message = once(socket, "message");
  socket.send(text);
  const [data] = (await message) as [Buffer];
  return data.toString();
}

/** The server's error lines (JSON logs, level and event "error"). */
function errorLines(output: string[]): Record<string, unknown>[] {
  return output.flatMap((line) => {
    try {
      const entry = JSON.parse(line) as Record<string, unknown>;
      return entry.level === "error" && entry.event === "error" ? [entry] : [];
    } catch {
      return [];
    }
  });
}

describe("a throw in the core", () => {
  it("closes that connection with 1011 and logs one line, while another connection keeps working", async () => {
    const url = wsUrl(server().baseUrl, "/ws");
    const failing = opened(await attemptUpgrade(url, authorized));
    const other = opened(await attemptUpgrade(url, authorized));
    expect(await reply(other.socket, "hello")).toBe("hello human");

    failing.socket.send(THROWING_MESSAGE);
    expect(await failing.closed).toBe(1011);

    expect(await reply(other.socket, "hi")).toBe("zup human");
    await vi.waitFor(() => expect(errorLines(server().output)).toHaveLength(1));
    expect(errorLines(server().output)[0]).toMatchObject({ path: "/ws", message: expect.stringMatching(/time ?zone/i) });
    other.socket.close(1000);
    expect(await other.closed).toBe(1000);
  });
});
