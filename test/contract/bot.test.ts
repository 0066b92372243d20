// The bot on /ws over a real socket: every command, the echo of other text, binary echo, bye.
import { describe, expect, inject, it } from "vitest";
import { openSocket, wsUrl, type TestSocket } from "../support/ws-client.ts";

const baseUrl = inject("baseUrl");

async function ask(socket: TestSocket, text: string): Promise<string> {
  socket.send(text);
  const reply = await socket.next();
  expect(typeof reply).toBe("string");
  return reply as string;
}

function utcStamp(epochMs: number): { date: string; time: string } {
  const iso = new Date(epochMs).toISOString();
  return { date: iso.slice(0, 10).replaceAll("-", "."), time: iso.slice(11, 19) };
}

describe("the bot on /ws", () => {
  it("answers every fixed command, trimmed and case-insensitively", async () => {
    const socket = await openSocket(wsUrl(baseUrl, "/ws"), "chat");
    expect(socket.protocol).toBe("chat");
    expect(await ask(socket, "hello")).toBe("hello human");
    expect(await ask(socket, "hi")).toBe("zup human");
    expect(await ask(socket, "name")).toBe("my name is Multivac, silly I know");
    expect(await ask(socket, "age")).toBe("I am older than time itself");
    expect(await ask(socket, "thanks")).toBe("you're welcome");
    expect(await ask(socket, "  HeLLo \n")).toBe("hello human");
    const help = await ask(socket, "help");
    for (const command of ["hello", "hi", "name", "age", "date", "time", "thanks", "bye", "help"]) {
      expect(help).toContain(command);
    }
    expect(help.includes("\n")).toBe(false);
    socket.close();
  });

  it("tells the date and time in UTC by default", async () => {
    const socket = await openSocket(wsUrl(baseUrl, "/ws"));
    const before = Date.now();
    const date = await ask(socket, "date");
    const time = await ask(socket, "time");
    const after = Date.now();
    expect(date).toMatch(/^today is \d{4}\.\d{2}\.\d{2}$/);
    expect(time).toMatch(/^server time is \d{2}:\d{2}:\d{2}$/);
    expect([utcStamp(before).date, utcStamp(after).date]).toContain(date.slice("today is ".length));
    const said = time.slice("server time is ".length);
    expect([utcStamp(before).time, utcStamp(after).time, utcStamp(before - 1000).time, utcStamp(after + 1000).time]).toContain(said);
    socket.close();
  });

  it("echoes any other text as sent, untrimmed, and keeps the order", async () => {
    const socket = await openSocket(wsUrl(baseUrl, "/ws"));
    const texts = ["what is the meaning of life?", "  spaced  ", "", "héllo wörld 👋", "hello there"];
    for (const text of texts) socket.send(text);
    for (const text of texts) expect(await socket.next()).toBe(`You have entered: ${text}`);
    socket.close();
  });

  it("echoes a binary message back unchanged, as binary", async () => {
    const socket = await openSocket(wsUrl(baseUrl, "/ws"));
    const bytes = Uint8Array.from([0, 1, 2, 253, 254, 255, 104, 105]);
    socket.send(bytes);
    expect(await socket.next()).toEqual(bytes);
    socket.close();
  });

  it("says bye and closes with 1000, reason bye", async () => {
    const socket = await openSocket(wsUrl(baseUrl, "/ws"));
    expect(await ask(socket, "Bye")).toBe("bye");
    const closed = await socket.closed;
    expect(closed.code).toBe(1000);
    expect(closed.reason).toBe("bye");
  });

  it("sends nothing on open", async () => {
    const socket = await openSocket(wsUrl(baseUrl, "/ws"));
    await expect(socket.next(300)).rejects.toThrow(/no message/);
    socket.close();
  });
});
