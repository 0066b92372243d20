// One client address opening as many WebSockets as it can: without a per-address limit
// (MAX_CONNECTIONS_PER_IP, 429) one client takes every slot of MAX_CONNECTIONS.
import { sleep, type Attack } from "../attack.ts";
import { openAttackers } from "../connections.ts";

const maxConnections = 2000;
/** After the first refusal, a few more attempts show whether it was a limit or a hiccup. */
const refusalsToStop = 20;

export const connectionHog: Attack = {
  name: "connection-hog",
  summary: `one address opens up to ${maxConnections} WebSockets to /echo and holds them`,
  async run({ baseUrl, stop, reactions, details }) {
    const enough = new AbortController();
    let firstRefusal: string | undefined;
    let refusals = 0;
    const attackers = await openAttackers(baseUrl, reactions, AbortSignal.any([stop, enough.signal]), {
      count: maxConnections,
      reading: true,
      onRefused: (answer, openSoFar) => {
        firstRefusal ??= `${answer} with ${openSoFar} open`;
        if (++refusals >= refusalsToStop) enough.abort();
      },
    });
    await sleep(2000, stop);
    const heldAtEnd = attackers.filter((attacker) => attacker.usable).length;
    await Promise.all(attackers.map((attacker) => attacker.finish(reactions, 500)));
    Object.assign(details, { opened: attackers.length, heldAtEnd, firstRefusal: firstRefusal ?? "none" });
  },
};
