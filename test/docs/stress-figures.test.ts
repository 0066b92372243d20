// The stress table of docs/security.md shows the committed runs (stress/results/<runtime>.json),
// rendered by stress/docs-figures.ts: never copied by hand.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { committedRuns, renderStressTable, stressBlock, stressPage, stressRuntimes, stressSource } from "../../stress/docs-figures.ts";
import { blockOf } from "../support/doc-blocks.ts";

const root = new URL("../../", import.meta.url);

describe("stress figures in the docs", () => {
  it("come from a committed run of every runtime, every attack included", () => {
    const runs = committedRuns(root);
    expect([...runs.keys()]).toEqual([...stressRuntimes]);
    const attacks = runs.get("node")!.attacks.map((result) => result.attack);
    for (const run of runs.values()) expect(run.attacks.map((result) => result.attack)).toEqual(attacks);
  });

  it(`${stressPage} shows the table as rendered from ${stressSource}`, () => {
    const expected = renderStressTable(committedRuns(root));
    const shown = blockOf(readFileSync(new URL(stressPage, root), "utf8"), stressBlock, stressSource);
    expect(shown, `${stressPage} should show, between its ${stressBlock} markers (npm run stress writes them):\n\n${expected}\n`).toBe(expected);
  });
});
