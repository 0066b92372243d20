// Every attack, in the order a full run goes through them: the ones that leave the server's memory
// as it was come first, the ones that may blow it up last. A runtime rarely gives a heap back to
// the system, so after slow-reader the "before" figure of any later attack would be its high-water
// mark, hiding that attack's own growth; churn, whose point is a leak, goes first of all.
import type { Attack } from "./attack.ts";
import { churn } from "./attacks/churn.ts";
import { connectionHog } from "./attacks/connection-hog.ts";
import { fragments } from "./attacks/fragments.ts";
import { hugeHeaders } from "./attacks/huge-headers.ts";
import { partialMessages } from "./attacks/partial-messages.ts";
import { pingFlood } from "./attacks/ping-flood.ts";
import { slowReader } from "./attacks/slow-reader.ts";
import { slowloris } from "./attacks/slowloris.ts";

export const attacks: Attack[] = [churn, slowloris, hugeHeaders, connectionHog, pingFlood, fragments, partialMessages, slowReader];

/** The attack called `name`; throws with the list of names otherwise. */
export function attackNamed(name: string): Attack {
  const attack = attacks.find((candidate) => candidate.name === name);
  if (!attack) throw new Error(`no attack named ${JSON.stringify(name)}; known: ${attacks.map((known) => known.name).join(", ")}`);
  return attack;
}
