// docs/deploying.md shows the shipped deploy files verbatim: the files the tests run (test/support/nginx.ts,
// systemd-unit.ts, rolling-restart.test.ts, shared-port-roll.ts) are the ones an operator copies.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

describe("docs/deploying.md", () => {
  it.each([
    ["deploy/nginx.conf", "nginx"],
    ["deploy/multivac@.service", "ini"],
    ["deploy/roll.sh", "sh"],
    ["deploy/multivac-shared@.service", "ini"],
    ["deploy/60-multivac.conf", "ini"],
    ["deploy/roll-shared.sh", "sh"],
  ])("quotes %s verbatim in a %s block", (path, language) => {
    expect(read("docs/deploying.md")).toContain(`\`\`\`${language}\n${read(path)}\`\`\`\n`);
  });
});
