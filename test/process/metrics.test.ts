// GET /metrics: Prometheus text with connections, refusals, messages, bytes and closes by code.
import { describe, expect, inject, it } from "vitest";
import { scrapeMetrics } from "../support/metrics-scrape.ts";
import { openSocket, wsUrl } from "../support/ws-client.ts";

const baseUrl = inject("baseUrl");

const scrape = () => scrapeMetrics(baseUrl);

describe("GET /metrics", () => {
  it("is Prometheus text, format 0.0.4", async () => {
    const response = await fetch(new URL("/metrics", baseUrl));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    await response.text();
  });

  it("counts connections, refusals, messages, bytes and closes", async () => {
    const before = await scrape();
    const count = (samples: Map<string, number>, name: string) => samples.get(name) ?? 0;

    await (await fetch(new URL("/ws", baseUrl))).text();
    const socket = await openSocket(wsUrl(baseUrl, "/ws"));
    const during = await scrape();
    expect(count(during, 'websocket_connections_open{runtime="' + inject("runtime") + '"}')).toBeGreaterThanOrEqual(1);
    socket.send("hello");
    await socket.next();
    socket.send("bye");
    await socket.next();
    await socket.closed;
    await new Promise((resolve) => setTimeout(resolve, 200));

    const after = await scrape();
    const delta = (name: string) => count(after, name) - count(before, name);
    expect(delta('websocket_upgrades_refused_total{reason="not-upgrade"}')).toBe(1);
    expect(delta('websocket_connections_total{route="bot"}')).toBe(1);
    expect(delta("websocket_messages_received_total")).toBe(2);
    expect(delta("websocket_messages_sent_total")).toBe(2);
    expect(delta("websocket_received_bytes_total")).toBe("hello".length + "bye".length);
    expect(delta("websocket_sent_bytes_total")).toBe("hello human".length + "bye".length);
    expect(delta('websocket_closes_total{code="1000"}')).toBe(1);
  });
});
