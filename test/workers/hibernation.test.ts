// What a hibernating connection keeps: the attachment survives eviction, the runtime answers "ping"
// without the object, and the idle timeout is an alarm that wakes it.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ConnectionAttachment } from "../../worker/connection-object.ts";
import { attachmentIn, onlySocket, openWithObject } from "./objects.ts";

/** Pretends the last message arrived `ms` ago, as if the connection had been idle that long. */
function idleFor(state: DurableObjectState, ms: number): void {
  const ws = onlySocket(state);
  const attachment = ws.deserializeAttachment() as ConnectionAttachment;
  ws.serializeAttachment({ ...attachment, session: { ...attachment.session, lastMessageAt: Date.now() - ms } });
}

const idleTimeoutMs = Number(env.IDLE_TIMEOUT_S) * 1000;

describe("hibernation", () => {
  it("a connection keeps working, and keeps its state, after its object is evicted", async () => {
    const { ws, next, stub } = await openWithObject("/ws");
    ws.send("hello");
    ws.send("abc");
    expect(await next()).toBe("hello human");
    expect(await next()).toBe("You have entered: abc");

    const instances = new WeakSet<object>();
    const before = await runInDurableObject(stub, (instance, state) => {
      instances.add(instance);
      return attachmentIn(state);
    });
    expect(before.session.messagesIn).toBe(2);

    await evictDurableObject(stub, { webSockets: "hibernate" });
    ws.send("hi");
    expect(await next()).toBe("zup human");

    const after = await runInDurableObject(stub, (instance, state) => ({ fresh: !instances.has(instance), attachment: attachmentIn(state) }));
    expect(after.fresh).toBe(true);
    expect(after.attachment.upgrade).toEqual(before.upgrade);
    expect(after.attachment.session.openedAt).toBe(before.session.openedAt);
    expect(after.attachment.session.messagesIn).toBe(3);
    expect(after.attachment.session.bytesIn).toBe(before.session.bytesIn + 2);
    ws.close(1000);
  });
});

describe("ping answered by the runtime", () => {
  it.each([
    ["/ws", "You have entered: ping"],
    ["/echo", "ping"],
  ])("on %s, ping gets %j without reaching the object, also after eviction", async (path, reply) => {
    const { ws, next, stub } = await openWithObject(path);
    ws.send("ping");
    expect(await next()).toBe(reply);
    await evictDurableObject(stub, { webSockets: "hibernate" });
    ws.send("ping");
    expect(await next()).toBe(reply);
    const seen = await runInDurableObject(stub, (_instance, state) => ({
      messagesIn: attachmentIn(state).session.messagesIn,
      autoResponseAt: state.getWebSocketAutoResponseTimestamp(onlySocket(state)),
    }));
    expect(seen.messagesIn).toBe(0);
    expect(seen.autoResponseAt).toBeInstanceOf(Date);
    ws.close(1000);
  });
});

describe("idle timeout by alarm", () => {
  it("closes with 1000, reason idle timeout, once the connection has been idle long enough", async () => {
    const { closed, stub } = await openWithObject("/ws");
    await runInDurableObject(stub, (_instance, state) => idleFor(state, idleTimeoutMs + 1000));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await closed).toEqual({ code: 1000, reason: "idle timeout" });
  });

  it("an early alarm closes nothing and is set again for the deadline", async () => {
    const { ws, next, stub } = await openWithObject("/ws");
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const { alarm, deadline } = await runInDurableObject(stub, async (_instance, state) => ({
      alarm: await state.storage.getAlarm(),
      deadline: attachmentIn(state).session.lastMessageAt + idleTimeoutMs,
    }));
    expect(alarm).toBe(deadline);
    ws.send("hello");
    expect(await next()).toBe("hello human");
    ws.close(1000);
  });

  it("a ping answered by the runtime counts as activity", async () => {
    const { ws, next, stub } = await openWithObject("/ws");
    await runInDurableObject(stub, (_instance, state) => idleFor(state, idleTimeoutMs + 1000));
    ws.send("ping");
    expect(await next()).toBe("You have entered: ping");
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    ws.send("hello");
    expect(await next()).toBe("hello human");
    ws.close(1000);
  });
});
