import { describe, expect, it } from "vitest";
import { checkIdle, nextDeadline, openSession, receiveMessage, type Message, type SessionRules, type SessionSocket, type SessionState } from "./session.ts";
import { StepClock } from "./step-clock.ts";

const rules: SessionRules = { maxMessageBytes: 1024, rateLimit: 0, idleTimeoutMs: 0, timeZone: "UTC" };
const noon = Date.UTC(2026, 10, 25, 12, 34, 56);

type Call = { kind: "sendText"; text: string } | { kind: "sendBinary"; data: unknown } | { kind: "sendTextBytes"; data: unknown } | { kind: "close"; code: number; reason: string };

/** A socket that records what the session asks of it. */
function recordingSocket(calls: Call[] = []): SessionSocket & { calls: Call[] } {
  return {
    calls,
    send: (data) => calls.push(typeof data === "string" ? { kind: "sendText", text: data } : { kind: "sendBinary", data }),
    sendTextBytes: (data) => calls.push({ kind: "sendTextBytes", data }),
    close: (code, reason) => calls.push({ kind: "close", code, reason }),
  };
}

/** What the session asks of its socket for `message` at `at`. */
function receive(state: SessionState, message: Message, at = noon, with_ = rules): Call[] {
  const socket = recordingSocket();
  receiveMessage(state, message, new StepClock(() => at), with_, socket);
  return socket.calls;
}

function run(state: SessionState, texts: string[], at = noon, with_ = rules) {
  const replies = texts.flatMap((text) => receive(state, text, at, with_));
  return { state, replies };
}

describe("the bot session", () => {
  it.each([
    ["hello", "hello human"],
    ["hi", "zup human"],
    ["name", "my name is Multivac, silly I know"],
    ["age", "I am older than time itself"],
    ["thanks", "you're welcome"],
    ["date", "today is 2026.11.25"],
    ["time", "server time is 12:34:56"],
    ["  HELLO\t", "hello human"],
    ["hello there", "You have entered: hello there"],
    ["  spaced ", "You have entered:   spaced "],
    ["", "You have entered: "],
  ])("answers %j with %j", (text, reply) => {
    const { replies } = run(openSession("bot", noon, rules), [text]);
    expect(replies).toEqual([{ kind: "sendText", text: reply }]);
  });

  it("lists every command in one line for help", () => {
    const { replies } = run(openSession("bot", noon, rules), ["help"]);
    expect(replies).toEqual([{ kind: "sendText", text: "commands: hello, hi, name, age, date, time, thanks, bye, help" }]);
  });

  it("uses the configured time zone for date and time", () => {
    const tokyo = { ...rules, timeZone: "Asia/Tokyo" };
    const lateEvening = Date.UTC(2026, 11, 31, 20, 5, 9);
    const { replies } = run(openSession("bot", lateEvening, tokyo), ["date", "time"], lateEvening, tokyo);
    expect(replies).toEqual([
      { kind: "sendText", text: "today is 2027.01.01" },
      { kind: "sendText", text: "server time is 05:05:09" },
    ]);
  });

  it("says bye, then closes with 1000 and ignores what follows", () => {
    const { state, replies } = run(openSession("bot", noon, rules), ["bye", "hello"]);
    expect(replies).toEqual([
      { kind: "sendText", text: "bye" },
      { kind: "close", code: 1000, reason: "bye" },
    ]);
    expect(state.closing).toBe(true);
  });

  it("echoes binary unchanged, as binary, on both routes", () => {
    const data = Uint8Array.from([0, 255, 1]);
    for (const route of ["bot", "echo"] as const) {
      const calls = receive(openSession(route, noon, rules), data);
      expect(calls).toEqual([{ kind: "sendBinary", data }]);
      // The very object that came in goes back: no copy per message.
      expect(calls[0]?.kind === "sendBinary" && calls[0].data).toBe(data);
    }
  });
});

describe("the echo session", () => {
  it("returns text as it came and never runs commands", () => {
    const { replies } = run(openSession("echo", noon, rules), ["bye", " hello "]);
    expect(replies).toEqual([
      { kind: "sendText", text: "bye" },
      { kind: "sendText", text: " hello " },
    ]);
  });
});

describe("text handed over as checked UTF-8 bytes", () => {
  const utf8 = (text: string) => new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>;

  it("goes back on /echo as the same bytes in a text frame, counted in bytes", () => {
    const state = openSession("echo", noon, rules);
    const data = utf8("héllo");
    const socket = recordingSocket();
    receiveMessage(state, data, new StepClock(() => noon), rules, socket, true);
    expect(socket.calls).toEqual([{ kind: "sendTextBytes", data }]);
    expect(socket.calls[0]?.kind === "sendTextBytes" && socket.calls[0].data).toBe(data);
    expect(state).toMatchObject({ messagesIn: 1, bytesIn: 6, messagesOut: 1, bytesOut: 6 });
  });

  it("is read as text by the bot on /ws", () => {
    const state = openSession("bot", noon, rules);
    const socket = recordingSocket();
    receiveMessage(state, utf8(" HELLO "), new StepClock(() => noon), rules, socket, true);
    receiveMessage(state, utf8("héllo"), new StepClock(() => noon), rules, socket, true);
    receiveMessage(state, utf8("bye"), new StepClock(() => noon), rules, socket, true);
    expect(socket.calls).toEqual([
      { kind: "sendText", text: "hello human" },
      // Not a command: the prefix and the message's own bytes, as text.
      { kind: "sendTextBytes", data: utf8("You have entered: héllo") },
      { kind: "sendText", text: "bye" },
      { kind: "close", code: 1000, reason: "bye" },
    ]);
    expect(state).toMatchObject({ messagesOut: 3, bytesOut: "hello human".length + "You have entered: héllo".length + 1 + "bye".length });
  });

  it("is held to maxMessageBytes like any message", () => {
    const small = { ...rules, maxMessageBytes: 4 };
    const socket = recordingSocket();
    receiveMessage(openSession("echo", noon, small), utf8("ééé"), new StepClock(() => noon), small, socket, true);
    expect(socket.calls).toEqual([{ kind: "close", code: 1009, reason: "message too big" }]);
  });

  it("is decoded for a socket that sends only strings as text", () => {
    const calls: Call[] = [];
    const stringsOnly: SessionSocket = { send: (data) => calls.push({ kind: "sendText", text: String(data) }), close: () => {} };
    receiveMessage(openSession("echo", noon, rules), utf8("héllo"), new StepClock(() => noon), rules, stringsOnly, true);
    expect(calls).toEqual([{ kind: "sendText", text: "héllo" }]);
  });
});

describe("limits", () => {
  it("closes with 1009 for a message over maxMessageBytes, counted in UTF-8 bytes", () => {
    const small = { ...rules, maxMessageBytes: 4 };
    expect(run(openSession("echo", noon, small), ["abcd"], noon, small).replies).toEqual([{ kind: "sendText", text: "abcd" }]);
    // "éé" is four UTF-16 units' worth of bytes: 2 characters, 4 bytes; "ééé" is 6 bytes.
    expect(run(openSession("echo", noon, small), ["ééé"], noon, small).replies).toEqual([
      { kind: "close", code: 1009, reason: "message too big" },
    ]);
  });

  it("closes with 1008 when the sustained rate is exceeded, after a burst of twice the rate", () => {
    const limited = { ...rules, rateLimit: 5 };
    const burst = Array.from({ length: 10 }, () => "x");
    const { state, replies } = run(openSession("echo", noon, limited), burst, noon, limited);
    expect(replies).toHaveLength(10);
    const copy = structuredClone(state);
    expect(receive(state, "x", noon, limited)).toEqual([{ kind: "close", code: 1008, reason: "rate limit" }]);
    // One second later five tokens have come back.
    expect(receive(copy, "x", noon + 1000, limited)).toEqual([{ kind: "sendText", text: "x" }]);
  });

  it("closes an idle session with 1000 idle timeout at its deadline, not before", () => {
    const idle = { ...rules, idleTimeoutMs: 60_000 };
    const state = openSession("bot", noon, idle);
    receive(state, "hi", noon + 10_000, idle);
    expect(nextDeadline(state, idle)).toBe(noon + 70_000);
    const socket = recordingSocket();
    checkIdle(state, noon + 69_999, idle, socket);
    expect(socket.calls).toEqual([]);
    checkIdle(state, noon + 70_000, idle, socket);
    expect(socket.calls).toEqual([{ kind: "close", code: 1000, reason: "idle timeout" }]);
    expect(state.closing).toBe(true);
  });

  it("has no deadline when the idle timeout is off", () => {
    expect(nextDeadline(openSession("bot", noon, rules), rules)).toBeUndefined();
  });
});

describe("session state", () => {
  it("is plain data that survives a JSON round trip (as a Durable Object attachment)", () => {
    const { state } = run(openSession("bot", noon, rules), ["hello", "time"]);
    const revived = JSON.parse(JSON.stringify(state)) as SessionState;
    expect(revived).toEqual(state);
    expect(receive(revived, "hi")).toEqual(receive(state, "hi"));
    expect(revived).toEqual(state);
  });

  it("reads the clock once when a rule needs the time, and not at all for a plain echo", () => {
    let reads = 0;
    const clock = new StepClock(() => {
      reads += 1;
      return noon + 5_000;
    });
    const socket = recordingSocket();
    receiveMessage(openSession("echo", noon, rules), "x", clock, rules, socket);
    expect(socket.calls).toEqual([{ kind: "sendText", text: "x" }]);
    expect(reads).toBe(0);
    const timed = { ...rules, idleTimeoutMs: 60_000, rateLimit: 5 };
    const state = openSession("echo", noon, timed);
    receiveMessage(state, "x", clock, timed, socket);
    expect(reads).toBe(1);
    expect(state.lastMessageAt).toBe(noon + 5_000);
  });

  it("counts messages and UTF-8 bytes in and out", () => {
    const { state } = run(openSession("echo", noon, rules), ["héllo", "👋"]);
    expect(state).toMatchObject({ messagesIn: 2, messagesOut: 2, bytesIn: 6 + 4, bytesOut: 6 + 4 });
  });
});
