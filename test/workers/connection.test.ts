// The Worker and its per-connection Durable Object, inside workerd: upgrades, round trips, bye, refusals.
import { listDurableObjectIds } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openThroughWorker, upgradeHeaders } from "./socket.ts";

describe("an upgrade through the Worker", () => {
  it("answers 101 with the chat subprotocol and a WebSocket", async () => {
    const { response, ws } = await openThroughWorker("/ws", { "Sec-WebSocket-Protocol": "superchat, chat" });
    expect(response.status).toBe(101);
    expect(response.headers.get("Sec-WebSocket-Protocol")).toBe("chat");
    ws.close(1000);
  });

  it("answers without a subprotocol when none is supported", async () => {
    const { response, ws } = await openThroughWorker("/echo", { "Sec-WebSocket-Protocol": "v2.example" });
    expect(response.status).toBe(101);
    expect(response.headers.has("Sec-WebSocket-Protocol")).toBe(false);
    ws.close(1000);
  });

  it("creates one Durable Object per connection", async () => {
    const before = (await listDurableObjectIds(env.CONNECTIONS)).length;
    const first = await openThroughWorker("/ws");
    const second = await openThroughWorker("/ws");
    expect(await listDurableObjectIds(env.CONNECTIONS)).toHaveLength(before + 2);
    first.ws.close(1000);
    second.ws.close(1000);
  });
});

describe("messages", () => {
  it("the bot answers commands and echoes other text, in order", async () => {
    const { ws, next } = await openThroughWorker("/ws");
    for (const text of ["hello", " HI ", "what?"]) ws.send(text);
    expect(await next()).toBe("hello human");
    expect(await next()).toBe("zup human");
    expect(await next()).toBe("You have entered: what?");
    ws.close(1000);
  });

  it("binary comes back as binary, byte for byte, on both routes", async () => {
    for (const path of ["/ws", "/echo"]) {
      const { ws, next } = await openThroughWorker(path);
      const bytes = Uint8Array.from([0, 1, 2, 253, 254, 255]);
      ws.send(bytes);
      const echoed = await next();
      expect(echoed).toBeInstanceOf(ArrayBuffer);
      expect(new Uint8Array(echoed as ArrayBuffer)).toEqual(bytes);
      ws.close(1000);
    }
  });

  it("/echo returns text unchanged and does not interpret commands", async () => {
    const { ws, next } = await openThroughWorker("/echo");
    ws.send("bye");
    expect(await next()).toBe("bye");
    ws.close(1000);
  });

  it("bye is answered, then the server closes with 1000, reason bye", async () => {
    const { ws, next, closed } = await openThroughWorker("/ws");
    ws.send("bye");
    expect(await next()).toBe("bye");
    expect(await closed).toEqual({ code: 1000, reason: "bye" });
  });

  it("a message over MAX_MESSAGE_BYTES closes with 1009", async () => {
    const { ws, closed } = await openThroughWorker("/echo");
    ws.send(new Uint8Array(Number(env.MAX_MESSAGE_BYTES) + 1));
    expect((await closed).code).toBe(1009);
  });
});

describe("the server answers a client's close", () => {
  it("echoing a code the client may send", async () => {
    const { ws, closed } = await openThroughWorker("/ws");
    ws.close(4000, "done");
    expect(await closed).toEqual({ code: 4000, reason: "done" });
  });

  it("with 1000 when the client sent no code (1005 may never be sent)", async () => {
    const { ws, closed } = await openThroughWorker("/ws");
    ws.close();
    expect((await closed).code).toBe(1000);
  });
});

describe("refusals happen in the Worker, before any Durable Object exists", () => {
  // (A POST carries no upgrade headers here: workerd's fetch() sends any upgrade request as a GET.)
  const cases: Array<[string, number, RequestInit]> = [
    ["a plain GET", 426, {}],
    ["another version", 426, { headers: upgradeHeaders({ "Sec-WebSocket-Version": "8" }) }],
    ["a bad key", 400, { headers: upgradeHeaders({ "Sec-WebSocket-Key": "c2hvcnQ=" }) }],
    ["a POST", 405, { method: "POST" }],
  ];

  it.each(cases)("%s gets %i and creates no object", async (_case, status, init) => {
    const before = (await listDurableObjectIds(env.CONNECTIONS)).length;
    for (const path of ["/ws", "/echo"]) {
      const response = await exports.default.fetch(`http://multivac.test${path}`, init);
      expect(response.status).toBe(status);
      expect(response.webSocket).toBeNull();
      await response.body?.cancel();
    }
    expect(await listDurableObjectIds(env.CONNECTIONS)).toHaveLength(before);
  });
});
