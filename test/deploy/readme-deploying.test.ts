// The README's Deploying section quotes deploy/nginx.conf and deploy/multivac.service verbatim: the
// files the tests run (test/support/nginx.ts, systemd-stop.test.ts) are the ones an operator copies.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

describe("README, Deploying", () => {
  it.each([
    ["deploy/nginx.conf", "nginx"],
    ["deploy/multivac.service", "ini"],
  ])("quotes %s verbatim in a %s block", (path, language) => {
    expect(read("README.md")).toContain(`\`\`\`${language}\n${read(path)}\`\`\`\n`);
  });
});
