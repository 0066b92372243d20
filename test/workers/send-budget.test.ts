// Flow control inside workerd: the modelled send buffer lives in the socket's attachment, so it
// carries on across hibernation like the rest of the connection's state.
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { attachmentIn, openWithObject } from "./objects.ts";

const maxMessageBytes = Number(env.MAX_MESSAGE_BYTES);

describe("the modelled send buffer (MAX_BUFFERED_BYTES, default one largest message)", () => {
  it("counts replies, stops reading once over the limit, and survives hibernation", async () => {
    const { ws, next, stub } = await openWithObject("/echo");
    const payload = new Uint8Array(maxMessageBytes);
    ws.send(payload);
    ws.send(payload);
    expect(((await next()) as ArrayBuffer).byteLength).toBe(maxMessageBytes);
    expect(((await next()) as ArrayBuffer).byteLength).toBe(maxMessageBytes);
    // Two largest replies at once: over the limit by one, so the object stopped reading for the time
    // the model takes to drain to half the limit (1.5 s at one buffer a second, less what drained
    // between the two messages).
    const before = await runInDurableObject(stub, (_instance, state) => attachmentIn(state));
    expect(before.pausedMs).toBeGreaterThan(1400);
    expect(before.pausedMs).toBeLessThanOrEqual(1500);
    expect(before.sendBudget.unsentBytes).toBeGreaterThan(0);

    await evictDurableObject(stub, { webSockets: "hibernate" });
    ws.send("after hibernation");
    expect(await next()).toBe("after hibernation");
    const after = await runInDurableObject(stub, (_instance, state) => attachmentIn(state));
    expect(after.pausedMs).toBe(before.pausedMs);
    expect(after.sendBudget.countedAt).toBeGreaterThanOrEqual(before.sendBudget.countedAt);
    ws.close(1000);
  });
});
