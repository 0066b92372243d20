// The edge's guards inside workerd: MAX_CONNECTIONS_PER_IP counted by a Durable Object per client
// address before any connection object exists, and the Analytics Engine data points an operator
// charts (docs/workers.md). The limit's figure is the one in wrangler.toml.
import { evictDurableObject, listDurableObjectIds, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openWithObject } from "./objects.ts";
import { openThroughWorker, upgradeHeaders, type WorkerSocket } from "./socket.ts";

const limit = Number(env.MAX_CONNECTIONS_PER_IP);

/** An upgrade from `address`, as Cloudflare reports the client's address to the Worker. */
function from(address: string): Record<string, string> {
  return { "CF-Connecting-IP": address };
}

async function closeAll(sockets: WorkerSocket[]): Promise<void> {
  for (const { ws } of sockets) ws.close(1000);
  await Promise.all(sockets.map(({ closed }) => closed));
}

describe("MAX_CONNECTIONS_PER_IP on Workers", () => {
  it("refuses the connection over the limit with 429 and Retry-After, creates no object for it, and serves another address", async () => {
    expect(limit).toBeGreaterThan(0);
    const held: WorkerSocket[] = [];
    for (let index = 0; index < limit; index++) held.push(await openThroughWorker("/echo", from("203.0.113.7")));

    const objectsBefore = (await listDurableObjectIds(env.CONNECTIONS)).length;
    const written = vi.spyOn(env.ANALYTICS, "writeDataPoint");
    const refused = await exports.default.fetch("http://multivac.test/echo", { headers: upgradeHeaders(from("203.0.113.7")) });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(refused.webSocket).toBeNull();
    await refused.body?.cancel();
    expect(await listDurableObjectIds(env.CONNECTIONS)).toHaveLength(objectsBefore);
    expect(written).toHaveBeenCalledExactlyOnceWith({ indexes: ["/echo"], blobs: ["refuse", "/echo", "per-address"], doubles: [429] });
    written.mockRestore();

    const other = await openThroughWorker("/echo", from("198.51.100.20"));
    other.ws.send("served");
    expect(await other.next()).toBe("served");

    // A close gives its slot back.
    await closeAll(held.splice(0, 1));
    const again = await openThroughWorker("/echo", from("203.0.113.7"));
    expect(again.response.status).toBe(101);
    await closeAll([...held, other, again]);
  });

  it("gives the slot back however the connection ends: the server's close (bye) too", async () => {
    const address = "203.0.113.8";
    const held: WorkerSocket[] = [];
    for (let index = 0; index < limit; index++) held.push(await openThroughWorker("/ws", from(address)));
    const leaving = held.pop()!;
    leaving.ws.send("bye");
    expect(await leaving.closed).toEqual({ code: 1000, reason: "bye" });
    // The slot is given back once the object has the client's answer to its close, just after.
    const again = await vi.waitFor(() => openThroughWorker("/ws", from(address)), { timeout: 2000, interval: 50 });
    expect(again.response.status).toBe(101);
    await closeAll([...held, again]);
  });

  it("a connection whose object hibernated gives its slot back when it closes", async () => {
    const address = "203.0.113.9";
    const held: WorkerSocket[] = [];
    for (let index = 0; index < limit - 1; index++) held.push(await openThroughWorker("/echo", from(address)));
    const sleeper = await openWithObject("/echo", from(address));
    await evictDurableObject(sleeper.stub, { webSockets: "hibernate" });
    const refused = await exports.default.fetch("http://multivac.test/echo", { headers: upgradeHeaders(from(address)) });
    expect(refused.status).toBe(429);
    await refused.body?.cancel();
    await closeAll([sleeper]);
    const again = await vi.waitFor(() => openThroughWorker("/echo", from(address)), { timeout: 2000, interval: 50 });
    expect(again.response.status).toBe(101);
    await closeAll([...held, again]);
  });
});

describe("an address's object that cannot be reached", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("lets the connection open uncounted rather than refuse every client", async () => {
    const unreachable = { lease: () => Promise.reject(new Error("object unreachable")), release: () => Promise.reject(new Error("object unreachable")) };
    vi.spyOn(env.ADDRESSES, "get").mockReturnValue(unreachable as unknown as ReturnType<typeof env.ADDRESSES.get>);
    const logged = vi.spyOn(console, "log");
    const { ws, next, closed, response } = await openThroughWorker("/echo", from("203.0.113.77"));
    expect(response.status).toBe(101);
    ws.send("still served");
    expect(await next()).toBe("still served");
    ws.close(1000);
    expect((await closed).code).toBe(1000);
    const warnings = () => logged.mock.calls.map(([line]) => String(line)).filter((line) => line.includes('"level":"warn"'));
    await vi.waitFor(() => expect(warnings()).toHaveLength(2));
    expect(warnings()[0]).toContain("per-address count unavailable: object unreachable");
    expect(warnings()[1]).toContain("per-address lease not given back: object unreachable");
  });
});

describe("an address's leases", () => {
  it("a lease that is never given back expires, so a lost close cannot lock an address out", async () => {
    const counter = env.ADDRESSES.get(env.ADDRESSES.idFromName("203.0.113.99"));
    expect(await counter.lease("first", 1, 200)).toBe(true);
    expect(await counter.lease("second", 1, 200)).toBe(false);
    // Renewing a lease it holds is not a new connection.
    expect(await counter.lease("first", 1, 200)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await counter.lease("second", 1, 200)).toBe(true);
    await counter.release("second");
    expect(await counter.lease("third", 1, 200)).toBe(true);
  });

  it("the idle alarm of an open connection renews its lease", async () => {
    const address = "203.0.113.10";
    const { ws, closed, stub } = await openWithObject("/echo", from(address));
    const counter = env.ADDRESSES.get(env.ADDRESSES.idFromName(address));
    const expiries = () => runInDurableObject(counter, (_instance, state) => [...state.storage.kv.list<number>()].map(([, expiresAt]) => expiresAt));
    const [before] = await expiries();
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Early (the connection is not idle yet): it closes nothing and sets itself again.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const after = await expiries();
    expect(after).toHaveLength(1);
    expect(after[0]).toBeGreaterThan(before!);
    ws.close(1000);
    await closed;
    await vi.waitFor(async () => expect(await expiries()).toEqual([]));
  });
});

describe("the data points an operator charts (Workers Analytics Engine)", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("an open, a refusal, messages and a close each write the documented data point", async () => {
    const written = vi.spyOn(env.ANALYTICS, "writeDataPoint");
    const { ws, next, closed } = await openThroughWorker("/echo", from("192.0.2.1"));
    expect(written).toHaveBeenLastCalledWith({ indexes: ["/echo"], blobs: ["open", "/echo", ""], doubles: [101] });

    ws.send("hello");
    expect(await next()).toBe("hello");
    ws.send(Uint8Array.of(1, 2, 3));
    await next();
    // Messages are counted in the close's totals, not one data point each.
    expect(written).toHaveBeenCalledTimes(1);
    ws.close(4000, "done");
    await closed;
    await vi.waitFor(() => expect(written).toHaveBeenCalledTimes(2));
    const [close] = written.mock.lastCall!;
    expect(close).toMatchObject({ indexes: ["/echo"], blobs: ["close", "/echo", "client"] });
    const [code, messagesIn, messagesOut, bytesIn, bytesOut, durationMs] = close!.doubles!;
    expect([code, messagesIn, messagesOut, bytesIn, bytesOut]).toEqual([4000, 2, 2, 8, 8]);
    expect(durationMs).toBeGreaterThanOrEqual(0);

    const refused = await exports.default.fetch("http://multivac.test/ws", { method: "POST" });
    await refused.body?.cancel();
    expect(written).toHaveBeenLastCalledWith({ indexes: ["/ws"], blobs: ["refuse", "/ws", "method"], doubles: [405] });
  });

  it("a close of ours is counted as the server's", async () => {
    const written = vi.spyOn(env.ANALYTICS, "writeDataPoint");
    const { ws, closed } = await openThroughWorker("/ws");
    ws.send("bye");
    await closed;
    await vi.waitFor(() => expect(written.mock.lastCall?.[0]?.blobs?.[0]).toBe("close"));
    expect(written.mock.lastCall?.[0]).toMatchObject({ blobs: ["close", "/ws", "server"], doubles: [1000, 1, 1, 3, 3, expect.any(Number)] });
  });
});
