import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";

async function repoJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(new URL(`../${path}`, import.meta.url), "utf8")) as T;
}

// npm 11 warns on install about every install script that package.json's allowScripts does not
// approve, and a later npm may not run it: the node, deno and bun binaries come from such scripts.
describe("package.json allowScripts", () => {
  it("approves exactly the installed packages that have install scripts", async () => {
    const { allowScripts = {} } = await repoJson<{ allowScripts?: Record<string, boolean> }>("package.json");
    const lock = await repoJson<{ packages: Record<string, { hasInstallScript?: boolean }> }>("package-lock.json");
    const withScripts = Object.entries(lock.packages)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length));
    expect(Object.keys(allowScripts).sort()).toEqual([...new Set(withScripts)].sort());
    expect(Object.values(allowScripts).every((allowed) => allowed === true)).toBe(true);
  });
});
