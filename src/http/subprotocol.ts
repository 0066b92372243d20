/** The subprotocols this server speaks, in order of preference. */
export const supportedSubprotocols: readonly string[] = ["chat"];

/** Parses a `Sec-WebSocket-Protocol` request header into its tokens. */
export function offeredSubprotocols(header: string | null | undefined): string[] {
  if (!header) return [];
  return header.split(",").map((token) => token.trim()).filter((token) => token !== "");
}

/**
 * The subprotocol to answer with, or undefined. RFC 6455 §4.2.2: the server picks one the client
 * offered, in any position, or sends none; it never answers with one that was not offered.
 */
export function selectSubprotocol(offered: Iterable<string>): string | undefined {
  const offers = new Set(offered);
  return supportedSubprotocols.find((protocol) => offers.has(protocol));
}
