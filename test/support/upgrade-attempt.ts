// An upgrade that may be refused, with the `ws` client: the suites of the per-address limits need the
// status and Retry-After of a refusal, which the standard WebSocket client does not show.
import { expect } from "vitest";
import WebSocket, { type ClientOptions } from "ws";

/** An open socket, or the HTTP status (and Retry-After) the upgrade was refused with. */
export type Attempt = { socket: WebSocket; status: 101; closed: Promise<number> } | { status: number; retryAfter: string | undefined };

/** Opens a WebSocket to `url`: the open socket, or the status it was refused with. */
export function attemptUpgrade(url: string, options: ClientOptions = {}): Promise<Attempt> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options);
    // Listening from the start: a socket the server closes right after its 101 may be gone before
    // the caller looks.
    const closed = new Promise<number>((resolveClose) => socket.once("close", (code) => resolveClose(code)));
    socket.once("open", () => resolve({ socket, status: 101, closed }));
    socket.once("unexpected-response", (_request, response) => {
      resolve({ status: response.statusCode ?? 0, retryAfter: response.headers["retry-after"] });
      response.resume();
      socket.terminate();
    });
    socket.once("error", reject);
  });
}

/** The sockets of the attempts that opened. */
export const openSockets = (attempts: Attempt[]): WebSocket[] => attempts.flatMap((attempt) => ("socket" in attempt ? [attempt.socket] : []));

/** Closes every socket and waits for each close. */
export function closeAll(sockets: WebSocket[]): Promise<void[]> {
  return Promise.all(sockets.map((socket) => new Promise<void>((resolve) => (socket.once("close", () => resolve()), socket.close()))));
}

/**
 * The per-address limit as every runtime keeps it: `limit` upgrades from `address` open, the next gets
 * 429 with a Retry-After, and `other` still opens. Returns the open attempts.
 */
export async function expectPerAddressRefusal(connect: (address: string) => Promise<Attempt>, limit: number, address: string, other: string): Promise<{ held: Attempt[]; other: Attempt }> {
  const held: Attempt[] = [];
  for (let index = 0; index < limit; index++) held.push(await connect(address));
  expect(held.map((attempt) => attempt.status)).toEqual(held.map(() => 101));
  const refused = await connect(address);
  expect(refused).toMatchObject({ status: 429 });
  expect(Number((refused as { retryAfter: string }).retryAfter)).toBeGreaterThan(0);
  const served = await connect(other);
  expect(served.status).toBe(101);
  return { held, other: served };
}
