// A good client beside an attack: it talks to the bot on /ws at a steady pace and times each round
// trip, so a test can assert that the attack did not cost other connections their service.
import { expect } from "vitest";
import { openSocket, wsUrl } from "./ws-client.ts";

/** Round trips of a good client, one every `everyMs`, until stopped. */
export function probeRoundTrips(baseUrl: string, everyMs: number): { roundTrips: number[]; stop(): Promise<void> } {
  const roundTrips: number[] = [];
  let running = true;
  const loop = (async () => {
    const socket = await openSocket(wsUrl(baseUrl, "/ws"));
    while (running) {
      const sentAt = performance.now();
      socket.send("hello");
      expect(await socket.next(5000)).toBe("hello human");
      roundTrips.push(performance.now() - sentAt);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
    socket.close();
  })();
  return {
    roundTrips,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** The worst round trip of a good client while `attack` runs. */
export async function worstRoundTripDuring(baseUrl: string, attack: () => Promise<void>): Promise<number> {
  const good = probeRoundTrips(baseUrl, 20);
  await attack();
  await good.stop();
  return Math.max(0, ...good.roundTrips);
}
