// Upgrade requests with megabytes of headers: a server must cap a request head (Node: 16 KiB) and answer
// 431 or close, or each connection costs what the attacker chooses. Records what the server answers.
import { rawRequest } from "../../test/support/raw-http.ts";
import { upgradeRequestHead } from "../../test/support/wire/handshake.ts";
import type { Attack } from "../attack.ts";
import { inLanes } from "../connections.ts";

const lanes = 4;
/** After the status line arrives, how long to wait for the server to close before we do. */
const settleMs = 200;

function scenarios(baseUrl: string): { name: string; request: Buffer }[] {
  const head = upgradeRequestHead(baseUrl, "/echo");
  const kib = (count: number) => "a".repeat(count * 1024);
  const manyHeaders = Array.from({ length: 512 }, (_, index) => `X-Pad-${index}: ${kib(8)}\r\n`).join("");
  return [
    { name: "one1MiBHeader", request: Buffer.from(`${head}X-Huge: ${kib(1024)}\r\n\r\n`, "latin1") },
    { name: "headers8KiBx512", request: Buffer.from(`${head}${manyHeaders}\r\n`, "latin1") },
  ];
}

export const hugeHeaders: Attack = {
  name: "huge-headers",
  summary: `${lanes} at a time, upgrade requests with one 1 MiB header or 512 x 8 KiB headers (4 MiB)`,
  async run({ baseUrl, stop, reactions, details }) {
    const all = scenarios(baseUrl);
    const outcomes = new Map(all.map((scenario) => [scenario.name, new Map<string, number>()]));
    let attempts = 0;
    let slowestMs = 0;
    await inLanes(Number.MAX_SAFE_INTEGER, lanes, stop, async (index) => {
      const scenario = all[index % all.length]!;
      const started = performance.now();
      // The status answered, or what happened at TCP level instead (ECONNRESET, EPIPE), or "closed".
      const outcome = await rawRequest(baseUrl, scenario.request, settleMs).then(
        (response) => (Number.isNaN(response.status) ? "closed" : String(response.status)),
        (error: NodeJS.ErrnoException) => error.code ?? "no-answer",
      );
      slowestMs = Math.max(slowestMs, performance.now() - started);
      attempts++;
      const counts = outcomes.get(scenario.name)!;
      counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
      reactions.count("handshakeAnswers", outcome);
    });
    details.attempts = attempts;
    for (const [name, counts] of outcomes) details[name] = [...counts].map(([outcome, count]) => `${outcome}x${count}`).join(" ");
    details.slowestAnswerMs = Math.round(slowestMs);
  },
};
