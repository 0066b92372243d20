// The server under attack. The tool only ever points at this machine: stress traffic sent to somebody
// else's server is an attack in the plain sense, so any other host is refused outright.

/** Where the server listens: host without IPv6 brackets, port, and http://host:port for the wire helpers. */
export interface Target {
  host: string;
  port: number;
  baseUrl: string;
}

/** Parses an http: or ws: URL; throws unless its host is 127.0.0.1, ::1 or localhost. */
export function loopbackTarget(text: string): Target {
  const url = URL.parse(text);
  if (!url) throw new Error(`not a URL: ${JSON.stringify(text)} (expected e.g. http://127.0.0.1:8787)`);
  if (!["http:", "ws:"].includes(url.protocol)) throw new Error(`${url.protocol} is not supported: the attacks speak plain TCP (use http:// or ws://)`);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!["127.0.0.1", "::1", "localhost"].includes(host)) throw new Error(`refusing to attack ${host}: only 127.0.0.1, ::1 and localhost are allowed`);
  const port = url.port === "" ? 80 : Number(url.port);
  return { host, port, baseUrl: `http://${host.includes(":") ? `[${host}]` : host}:${port}` };
}
