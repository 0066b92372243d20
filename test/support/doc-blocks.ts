// Figures of committed runs shown in the docs stand between a pair of marker comments, rendered from
// a results file: the tool that writes the results rewrites the block, and a test fails when a page
// and its results disagree (test/docs/). Never copied by hand.

const markers = (block: string, source: string) => [`<!-- ${block}: rendered from ${source} -->`, `<!-- /${block} -->`] as const;

function span(page: string, block: string, source: string): { start: number; end: number } | undefined {
  const [open, close] = markers(block, source);
  const start = page.indexOf(open);
  const end = page.indexOf(close);
  return start < 0 || end < start ? undefined : { start: start + open.length, end };
}

/** The text between a block's markers on `page`, or undefined when the markers are missing. */
export function blockOf(page: string, block: string, source: string): string | undefined {
  const found = span(page, block, source);
  return found && page.slice(found.start, found.end).trim();
}

/** `page` with `block` replaced by `text`; throws when the page has no markers for it. */
export function withBlock(page: string, block: string, source: string, text: string): string {
  const found = span(page, block, source);
  if (!found) throw new Error(`missing markers for ${block}`);
  return `${page.slice(0, found.start)}\n${text}\n${page.slice(found.end)}`;
}
