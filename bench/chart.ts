// The SVG chart for docs/bench.svg, written by hand: one small panel per scenario and metric, a bar
// per server, each panel on its own scale (32 B and 64 KiB figures differ by orders of magnitude).
import type { BenchResults, ServerResult } from "./results.ts";

// Each product next to its raw runtime: the baseline in a pale shade of the product's colour; the
// peers (crossws) in a middle shade of it, raw Deno's native stack in grey.
const colours: Record<string, string> = {
  "raw-ws": "#a5d6a7",
  "product-node": "#2e7d32",
  "crossws-node": "#66bb6a",
  "raw-ws-deno": "#90a4ae",
  "product-deno": "#263238",
  "crossws-deno": "#546e7a",
  "raw-deno": "#d7ccc8",
  "product-workers": "#f38020",
  "raw-bun": "#f8bbd0",
  "product-bun": "#c2185b",
  "crossws-bun": "#ec407a",
};
const fallbackColours = ["#5c6bc0", "#8d6e63", "#26a69a"];

interface Panel {
  title: string;
  unit: string;
  values: { server: string; value: number }[];
}

const MIN_PANEL_WIDTH = 132;
// Wide enough per bar for its label ("268k") to stay readable beside its neighbours'.
const BAR_SLOT = 19;
const PANEL_HEIGHT = 190;
const GAP = 12;
const MARGIN = 16;
const LEGEND_HEIGHT = 82;
const LEGEND_ENTRY_WIDTH = 130;
const ROW_TITLE = 22;

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function short(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (value >= 1e4) return `${Math.round(value / 1e3)}k`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  if (value >= 10) return value.toFixed(0);
  if (value >= 1) return value.toFixed(1);
  return value.toFixed(2);
}

function panelSvg(panel: Panel, x: number, y: number, width: number, colourOf: (server: string) => string): string {
  const plotTop = y + 30;
  const plotBottom = y + PANEL_HEIGHT - 8;
  const max = Math.max(...panel.values.map((entry) => entry.value), 0) || 1;
  const slot = (width - 12) / Math.max(1, panel.values.length);
  const bars = panel.values.map((entry, index) => {
    const height = ((plotBottom - plotTop - 14) * entry.value) / max;
    const barX = x + 6 + index * slot + slot * 0.1;
    const barY = plotBottom - height;
    return [
      `<rect x="${barX.toFixed(1)}" y="${barY.toFixed(1)}" width="${(slot * 0.8).toFixed(1)}" height="${height.toFixed(1)}" fill="${colourOf(entry.server)}"><title>${escape(`${entry.server}: ${entry.value} ${panel.unit}`)}</title></rect>`,
      `<text x="${(barX + slot * 0.4).toFixed(1)}" y="${(barY - 3).toFixed(1)}" font-size="8" text-anchor="middle">${short(entry.value)}</text>`,
    ].join("");
  });
  return [
    `<rect x="${x}" y="${y}" width="${width}" height="${PANEL_HEIGHT}" fill="#fafafa" stroke="#e0e0e0"/>`,
    `<text x="${x + width / 2}" y="${y + 13}" font-size="10" font-weight="bold" text-anchor="middle">${escape(panel.title)}</text>`,
    `<text x="${x + width / 2}" y="${y + 24}" font-size="8" fill="#666" text-anchor="middle">${escape(panel.unit)}</text>`,
    `<line x1="${x + 4}" y1="${plotBottom}" x2="${x + width - 4}" y2="${plotBottom}" stroke="#999"/>`,
    ...bars,
  ].join("\n");
}

function panelsOf(servers: ServerResult[]): { throughput: Panel[]; latency: Panel[]; tail: Panel[] } {
  const scenarios = [...new Set(servers.flatMap((server) => server.echo.map((figures) => figures.scenario)))];
  const pick = (read: (server: ServerResult) => number | undefined) =>
    servers.flatMap((server) => {
      const value = read(server);
      return value === undefined ? [] : [{ server: server.name, value }];
    });
  // A row: the figure of each echo scenario, then one panel of another figure.
  const row = (figure: "perSecond" | "p99Ms" | "p999Ms", unit: string, last: Panel) => [
    ...scenarios.map((scenario) => ({ title: scenario, unit, values: pick((server) => server.echo.find((figures) => figures.scenario === scenario)?.[figure]) })),
    last,
  ];
  return {
    throughput: row("perSecond", "msgs/s (higher is better)", { title: "handshakes", unit: "opened+closed/s (higher)", values: pick((server) => server.handshake?.perSecond) }),
    latency: row("p99Ms", "p99 ms (lower is better)", { title: "idle memory", unit: "KiB per connection (lower)", values: pick((server) => (server.idle?.errors === 0 ? server.idle.kibPerConnection : undefined)) }),
    tail: row("p999Ms", "p99.9 ms (lower is better)", {
      title: "echo max",
      unit: "worst round trip of any scenario, ms",
      values: pick((server) => (server.echo.length ? Math.max(...server.echo.map((figures) => figures.maxMs)) : undefined)),
    }),
  };
}

/** The chart of a run as an SVG document. */
export function renderChart(results: BenchResults): string {
  const servers = results.servers.filter((server) => server.status === "measured");
  const colourOf = (server: string) => colours[server] ?? fallbackColours[servers.findIndex((entry) => entry.name === server) % fallbackColours.length]!;
  const { throughput, latency, tail } = panelsOf(servers);
  const columnCount = Math.max(throughput.length, 1);
  const panelWidth = Math.max(MIN_PANEL_WIDTH, 12 + servers.length * BAR_SLOT);
  const width = MARGIN * 2 + columnCount * panelWidth + (columnCount - 1) * GAP;
  const rowY = (row: number) => MARGIN + LEGEND_HEIGHT + row * (PANEL_HEIGHT + ROW_TITLE + GAP) + ROW_TITLE;
  const height = rowY(3) - ROW_TITLE + MARGIN;
  const m = results.machine;
  const method = results.method;
  const generator = method?.echoGenerator.kind === "c" ? "echo generator in C" : "echo generator on Node + ws";
  const pinning = !method ? "" : method.pinning.enabled ? ` · server on CPU ${method.pinning.serverCpu}, generator on CPU ${method.pinning.generatorCpu}` : " · unpinned";

  // Eleven servers do not fit one line of the legend: it wraps.
  const perLine = Math.max(1, Math.floor((width - 2 * MARGIN) / LEGEND_ENTRY_WIDTH));
  const legend = servers.map((server, index) => {
    const x = MARGIN + (index % perLine) * LEGEND_ENTRY_WIDTH;
    const y = MARGIN + 42 + Math.floor(index / perLine) * 16;
    return `<rect x="${x}" y="${y}" width="12" height="12" fill="${colourOf(server.name)}"/><text x="${x + 16}" y="${y + 10}" font-size="11">${escape(server.name)}</text>`;
  });
  const row = (panels: Panel[], index: number, title: string) => [
    `<text x="${MARGIN}" y="${rowY(index) - 7}" font-size="12" font-weight="bold">${escape(title)}</text>`,
    ...panels.map((panel, column) => panelSvg(panel, MARGIN + column * (panelWidth + GAP), rowY(index), panelWidth, colourOf)),
  ];
  const subtitle = `${results.mode} run ${results.startedAt.slice(0, 16).replace("T", " ")} UTC · ${m.cores} cores, ${m.memoryGiB} GiB · load ${m.loadBefore[0]} before · node ${m.versions.node}, ${m.versions.deno}, bun ${m.versions.bun}, workerd ${m.versions.workerd}`;
  const methodLine = `closed-loop echo over loopback, ${generator}${pinning}`;

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${MARGIN}" y="${MARGIN + 6}" font-size="15" font-weight="bold">WebSocket echo: this product vs the raw runtimes (and crossws, for information)</text>`,
    `<text x="${MARGIN}" y="${MARGIN + 22}" font-size="9" fill="#555">${escape(subtitle)}</text>`,
    `<text x="${MARGIN}" y="${MARGIN + 34}" font-size="9" fill="#555">${escape(methodLine)}</text>`,
    ...legend,
    ...row(throughput, 0, "Throughput"),
    ...row(latency, 1, "Latency (p99) and memory"),
    ...row(tail, 2, "Tail latency (p99.9) and the worst round trip"),
    `</svg>`,
    "",
  ].join("\n");
}
