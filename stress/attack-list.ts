// Every attack, in run order: those that leave memory as it was first (churn, a leak test, first of all),
// those that may blow it up last, since a runtime rarely gives a heap back and would mask later growth.
import type { Attack } from "./attack.ts";
import { churn } from "./attacks/churn.ts";
import { connectionHog } from "./attacks/connection-hog.ts";
import { fragments } from "./attacks/fragments.ts";
import { hugeHeaders } from "./attacks/huge-headers.ts";
import { partialMessages } from "./attacks/partial-messages.ts";
import { pingFlood } from "./attacks/ping-flood.ts";
import { slowReader, slowTextReader } from "./attacks/slow-reader.ts";
import { slowloris } from "./attacks/slowloris.ts";

export const attacks: Attack[] = [churn, slowloris, hugeHeaders, connectionHog, pingFlood, fragments, partialMessages, slowReader, slowTextReader];

