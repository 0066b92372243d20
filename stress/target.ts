// The server under attack. The tool only ever points at this machine: stress traffic sent to
// somebody else's server is an attack in the plain sense, so any other host is refused outright.

/** Where the server listens, in the forms the pieces of the tool need. */
export interface Target {
  /** Host as given, without IPv6 brackets (127.0.0.1, ::1 or localhost). */
  host: string;
  port: number;
  /** http://host:port, the base URL the wire helpers of test/support take. */
  baseUrl: string;
}

const loopbackHosts = new Set(["127.0.0.1", "::1", "localhost"]);

/** Parses an http:, https:, ws: or wss: URL; throws unless its host is a loopback address. */
export function loopbackTarget(text: string): Target {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`not a URL: ${JSON.stringify(text)} (expected e.g. http://127.0.0.1:8787)`);
  }
  if (!["http:", "ws:"].includes(url.protocol)) {
    throw new Error(`${url.protocol} is not supported: the attacks speak plain TCP (use http:// or ws://)`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!loopbackHosts.has(host)) {
    throw new Error(`refusing to attack ${host}: only 127.0.0.1, ::1 and localhost are allowed`);
  }
  const port = url.port === "" ? 80 : Number(url.port);
  const bracketed = host.includes(":") ? `[${host}]` : host;
  return { host, port, baseUrl: `http://${bracketed}:${port}` };
}
