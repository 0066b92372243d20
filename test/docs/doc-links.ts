// Finds relative links and docs/ citations that lead nowhere: a file that does not exist, or a
// #section that is not a heading of its target. Sections are matched by GitHub's heading slugs, since
// that is where a reader follows them.
import { posix } from "node:path";

/** Reads a repository file by its path from the root: its text, "" for a folder, undefined if absent. */
export type ReadFile = (path: string) => string | undefined;

// Code blocks are quoted text (configs, examples): neither headings nor links.
function withoutCodeBlocks(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```[^\n]*$/gm, "");
}

/** GitHub's anchor for a heading: lowercase, punctuation dropped (not `-` or `_`), spaces to `-`. */
export function slugOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\p{M} _-]/gu, "").replace(/ /g, "-");
}

/** The anchors of a Markdown file's headings; a repeated heading gets `-1`, `-2`, ... as on GitHub. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, text] of withoutCodeBlocks(markdown).matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const slug = slugOf(text!);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** The targets of a Markdown file's inline links and images that stay in the repository. */
export function relativeLinks(markdown: string): string[] {
  // Code spans are quoted text too.
  const prose = withoutCodeBlocks(markdown).replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)]
    .map((match) => match[1]!)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** The `docs/<page>.md` and `docs/<page>.md#<section>` citations in a source file. */
export function docCitations(source: string): string[] {
  return [...source.matchAll(/\bdocs\/[\w-]+\.md(?:#[\w-]+)?/g)].map((match) => match[0]);
}

/**
 * Why `target`, linked from the file at `from`, leads nowhere, or undefined when it leads somewhere.
 * A bare `#section` points into `from` itself; a leading `/` starts at the repository root.
 */
export function brokenTarget(from: string, target: string, read: ReadFile): string | undefined {
  const [rawPath = "", section] = target.split("#", 2);
  const path = rawPath === "" ? from : posix.normalize(rawPath.startsWith("/") ? rawPath.slice(1) : posix.join(posix.dirname(from), decodeURI(rawPath)));
  const text = read(path);
  if (text === undefined) return `${path} does not exist`;
  if (section !== undefined && section !== "" && !headingAnchors(text).has(section.toLowerCase())) return `${path} has no section #${section}`;
  return undefined;
}
