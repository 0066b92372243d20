// Every relative link of the docs, and every docs/ citation in the code, leads to a file and section
// that exist.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { brokenTarget, docCitations, headingAnchors, relativeLinks, slugOf, type ReadFile } from "./doc-links.ts";

const root = new URL("../../", import.meta.url);
const readRepoFile: ReadFile = (path) => {
  const url = new URL(path, root);
  if (!existsSync(url)) return undefined;
  return statSync(url).isDirectory() ? "" : readFileSync(url, "utf8");
};
const trackedFiles = execFileSync("git", ["ls-files"], { cwd: root, encoding: "utf8" }).split("\n").filter((path) => path !== "");

const docPages = [
  "README.md",
  ...readdirSync(new URL("docs/", root)).filter((name) => name.endsWith(".md")).map((name) => `docs/${name}`),
  ...["bench/README.md", "stress/README.md", "worker/README.md"].filter((path) => readRepoFile(path) !== undefined),
];
// This folder's own cases cite missing pages on purpose.
const sourceFiles = trackedFiles.filter((path) => /\.(ts|c|h|sh|toml|json|conf|service)$/.test(path) && path !== "package-lock.json" && !path.startsWith("test/docs/"));

describe("links in README.md and docs/", () => {
  it.each(docPages)("every relative link of %s leads to a file and section that exist", (page) => {
    const broken = relativeLinks(readRepoFile(page)!).flatMap((target) => brokenTarget(page, target, readRepoFile) ?? []);
    expect(broken).toEqual([]);
  });

  it("every docs/<page>.md#<section> cited in a source file exists", () => {
    const broken = sourceFiles.flatMap((file) =>
      docCitations(readRepoFile(file) ?? "").flatMap((citation) => {
        const problem = brokenTarget("", citation, readRepoFile);
        return problem ? [`${file}: ${problem}`] : [];
      }),
    );
    expect(broken).toEqual([]);
  });
});

describe("the link checker", () => {
  const files: Record<string, string> = {
    "README.md": "# Title\n\n## Run it, test it\n\nSee [limits](docs/protocol.md#limits).\n",
    "docs/protocol.md": "# The protocol\n\n## Limits\n\n## `TRUST_PROXY`\n\n```md\n## Not a heading\n```\n\n## Limits\n",
  };
  const read: ReadFile = (path) => files[path];

  it("makes GitHub's slugs", () => {
    expect(slugOf("Run it, test it")).toBe("run-it-test-it");
    expect(slugOf("RFC 6455 conformance")).toBe("rfc-6455-conformance");
    expect(slugOf("TRUST_PROXY")).toBe("trust_proxy");
    expect(slugOf("Start-up failures")).toBe("start-up-failures");
    expect([...headingAnchors(files["docs/protocol.md"]!)]).toEqual(["the-protocol", "limits", "trust_proxy", "limits-1"]);
  });

  it("accepts links and citations that exist", () => {
    expect(brokenTarget("README.md", "docs/protocol.md#limits", read)).toBeUndefined();
    expect(brokenTarget("docs/protocol.md", "../README.md#run-it-test-it", read)).toBeUndefined();
    expect(brokenTarget("docs/protocol.md", "#trust_proxy", read)).toBeUndefined();
    expect(brokenTarget("", "docs/protocol.md", read)).toBeUndefined();
  });

  it("finds a link to a missing file and one to a missing section", () => {
    expect(brokenTarget("README.md", "docs/missing.md", read)).toBe("docs/missing.md does not exist");
    expect(brokenTarget("README.md", "docs/protocol.md#not-a-heading", read)).toBe("docs/protocol.md has no section #not-a-heading");
    expect(brokenTarget("docs/protocol.md", "#nowhere", read)).toBe("docs/protocol.md has no section #nowhere");
  });

  it("reads links outside code, skips external ones, and finds citations in source", () => {
    const markdown = "[a](docs/a.md#x) ![img](docs/b.svg) [web](https://example.com) `[c](no.md)`\n```\n[d](no.md)\n```\n";
    expect(relativeLinks(markdown)).toEqual(["docs/a.md#x", "docs/b.svg"]);
    expect(docCitations("// the limit (docs/protocol.md#limits), see docs/security.md.")).toEqual(["docs/protocol.md#limits", "docs/security.md"]);
  });
});
