// The benchmark figures README.md and docs/benchmarks.md show are those of the committed run
// (bench/results/latest.json), rendered by bench/docs-figures.ts: never copied by hand.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { benchSource, diagnosticBlock, diagnosticSource, figurePages, instancesBlock, instancesSource, renderBlock, renderDiagnostic, renderInstances } from "../../bench/docs-figures.ts";
import type { InstancesResults } from "../../bench/instances.ts";
import type { BenchResults } from "../../bench/results.ts";
import { blockOf } from "../support/doc-blocks.ts";

const root = new URL("../../", import.meta.url);
const latest = JSON.parse(readFileSync(new URL("bench/results/latest.json", root), "utf8")) as BenchResults;

describe("benchmark figures in the docs", () => {
  it("come from a full run", () => {
    expect(latest.mode).toBe("full");
  });

  const blocks = Object.entries(figurePages).flatMap(([page, names]) => names.map((block) => [page, block] as const));
  it.each(blocks)("%s shows the %s block as rendered from bench/results/latest.json", (page, block) => {
    const expected = renderBlock(block, latest);
    const shown = blockOf(readFileSync(new URL(page, root), "utf8"), block, benchSource);
    expect(shown, `${page} should show, between its ${block} markers (npm run bench -- --render bench/results/latest.json writes them):\n\n${expected}\n`).toBe(expected);
  });

  it("docs/benchmarks.md shows the instances block as rendered from bench/results/instances.json", () => {
    const results = JSON.parse(readFileSync(new URL(instancesSource, root), "utf8")) as InstancesResults;
    const expected = renderInstances(results);
    const shown = blockOf(readFileSync(new URL("docs/benchmarks.md", root), "utf8"), instancesBlock, instancesSource);
    expect(shown, `docs/benchmarks.md should show, between its ${instancesBlock} markers (npm run bench -- --instances writes them):\n\n${expected}\n`).toBe(expected);
  });

  it("docs/benchmarks.md shows the diagnostic block as rendered from bench/results/diagnostic.json", () => {
    const results = JSON.parse(readFileSync(new URL(diagnosticSource, root), "utf8")) as BenchResults;
    const expected = renderDiagnostic(results);
    const shown = blockOf(readFileSync(new URL("docs/benchmarks.md", root), "utf8"), diagnosticBlock, diagnosticSource);
    expect(shown, `docs/benchmarks.md should show, between its ${diagnosticBlock} markers:\n\n${expected}\n`).toBe(expected);
  });
});
