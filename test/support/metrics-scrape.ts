// Reads a server's GET /metrics (Prometheus text) into name{labels} -> value, for tests that watch a
// gauge while they attack the server.

/** One scrape: every sample line as `name{labels}` -> value. */
export async function scrapeMetrics(baseUrl: string): Promise<Map<string, number>> {
  const response = await fetch(new URL("/metrics", baseUrl));
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
  const samples = new Map<string, number>();
  for (const line of (await response.text()).split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const space = line.lastIndexOf(" ");
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

/** Scrapes every `intervalMs` until stopped, keeping the largest value seen of each sample. */
export function watchMetrics(baseUrl: string, intervalMs = 50): { peak: Map<string, number>; stop(): Promise<void> } {
  const peak = new Map<string, number>();
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const [name, value] of await scrapeMetrics(baseUrl)) peak.set(name, Math.max(value, peak.get(name) ?? value));
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    peak,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}
