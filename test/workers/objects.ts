// Finding the Durable Object of a connection opened in a test, and what its socket carries.
import { listDurableObjectIds } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { ConnectionAttachment } from "../../worker/connection-object.ts";
import { openThroughWorker } from "./socket.ts";

/** Opens a connection and finds the Durable Object that was created for it. */
export async function openWithObject(path: string, extra: Record<string, string> = {}) {
  const before = new Set((await listDurableObjectIds(env.CONNECTIONS)).map((id) => id.toString()));
  const socket = await openThroughWorker(path, extra);
  const created = (await listDurableObjectIds(env.CONNECTIONS)).filter((id) => !before.has(id.toString()));
  expect(created).toHaveLength(1);
  return { ...socket, stub: env.CONNECTIONS.get(created[0]!) };
}

/** The one socket of a connection's object. */
export function onlySocket(state: DurableObjectState): WebSocket {
  const sockets = state.getWebSockets();
  expect(sockets).toHaveLength(1);
  return sockets[0]!;
}

/** What the one socket of a connection's object carries through hibernation. */
export function attachmentIn(state: DurableObjectState): ConnectionAttachment {
  return onlySocket(state).deserializeAttachment() as ConnectionAttachment;
}
