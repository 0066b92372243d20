import { readdir, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parseConfig, parseSettings } from "./config.ts";
import { renderSettingsTable, settings, variablesFor } from "./settings.ts";

const header = "| setting | default | accepted | runtimes | meaning |";

async function repoFile(path: string): Promise<string> {
  return readFile(new URL(`../${path}`, import.meta.url), "utf8");
}

/** The markdown table that starts at `header` in `text`, or undefined if there is none. */
function tableUnderHeader(text: string): string | undefined {
  const lines = text.split("\n");
  const start = lines.indexOf(header);
  if (start === -1) return undefined;
  const end = lines.findIndex((line, i) => i > start && !line.startsWith("|"));
  return lines.slice(start, end === -1 ? undefined : end).join("\n");
}

describe("the settings table in the docs", () => {
  it("is in README.md as src/settings.ts renders it, and in any docs page that shows it", async () => {
    const expected = renderSettingsTable();
    const docs = (await readdir(new URL("../docs/", import.meta.url))).filter((name) => name.endsWith(".md")).map((name) => `docs/${name}`);
    for (const path of ["README.md", ...docs]) {
      const found = tableUnderHeader(await repoFile(path));
      if (found === undefined && path !== "README.md") continue;
      expect(found, `${path} should show the settings table exactly as renderSettingsTable() gives it:\n\n${expected}\n`).toBe(expected);
    }
  });

  it("shows every setting once, with the runtimes it applies to", () => {
    const rows = renderSettingsTable().split("\n").slice(2);
    expect(rows.map((row) => /^\| `(\w+)` \|/.exec(row)?.[1])).toEqual(Object.values(settings).map((setting) => setting.name));
    expect(rows.find((row) => row.startsWith("| `TRUST_PROXY` "))).toContain("| node, deno, bun |");
    expect(rows.find((row) => row.startsWith("| `RATE_LIMIT` "))).toContain("| all |");
  });

  // A default is shown as a value, as another setting's name (its value), or as "unset (...)".
  it("shows each setting's default as the parser applies it", () => {
    const values: Record<string, unknown> = parseSettings({});
    const byName = new Map(Object.entries(settings).map(([key, setting]) => [setting.name, values[key]]));
    for (const [key, setting] of Object.entries(settings)) {
      const shown = /^`(.+)`$/.exec(setting.default)?.[1];
      if (shown === undefined) expect([undefined, []], setting.name).toContainEqual(values[key]);
      else if (byName.has(shown)) expect(values[key], setting.name).toBe(byName.get(shown));
      // The shown default, set explicitly, must give what leaving the variable unset gives.
      else expect(setting.parse(shown, setting.name, values), setting.name).toEqual(values[key]);
    }
  });
});

describe("wrangler.toml", () => {
  /** The [vars] table: every line must be a `NAME = "value"` pair, so nothing there goes unchecked. */
  async function wranglerVars(): Promise<Record<string, string>> {
    const lines = (await repoFile("wrangler.toml")).split("\n");
    const start = lines.indexOf("[vars]");
    expect(start, "wrangler.toml has a [vars] table").toBeGreaterThan(-1);
    const vars: Record<string, string> = {};
    for (const line of lines.slice(start + 1)) {
      if (line.startsWith("[")) break;
      if (line.trim() === "" || line.trim().startsWith("#")) continue;
      const pair = /^([A-Z0-9_]+) = "([^"\\]*)"$/.exec(line);
      expect(pair, `a [vars] line this test can read: ${line}`).not.toBeNull();
      vars[pair![1]!] = pair![2]!;
    }
    return vars;
  }

  it("sets only settings that apply to Workers", async () => {
    const vars = await wranglerVars();
    expect(Object.keys(vars).length).toBeGreaterThan(0);
    for (const name of Object.keys(vars)) expect(variablesFor("workers"), `${name} in wrangler.toml`).toContain(name);
  });

  it("sets each of them to a value the parser accepts", async () => {
    const vars = await wranglerVars();
    for (const [name, value] of Object.entries(vars)) expect(() => parseConfig({ [name]: value }), `${name} = "${value}"`).not.toThrow();
  });
});
