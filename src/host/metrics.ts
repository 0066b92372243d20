// Process-wide counters for GET /metrics, in the Prometheus text exposition format (0.0.4).
// Plain numbers and a renderer are all this needs; a metrics library would not earn its place.
import type { Route } from "../core/session.ts";
import type { RefusalReason } from "../http/upgrade-check.ts";

/** Counters of one server process. */
export class Metrics {
  readonly connectionsTotal = new Map<Route, number>();
  readonly refusedUpgrades = new Map<RefusalReason, number>();
  readonly closesByCode = new Map<number, number>();
  messagesIn = 0;
  messagesOut = 0;
  bytesIn = 0;
  bytesOut = 0;
  /** Connections not read now because their replies are not being read (flow control). */
  pausedConnections = 0;
  /** Times flow control stopped reading a connection. */
  pauses = 0;
  /** Connections dropped because they stayed paused without draining. */
  stalledTerminations = 0;

  opened(route: Route): void {
    increment(this.connectionsTotal, route);
  }

  closed(code: number): void {
    increment(this.closesByCode, code);
  }

  refused(reason: RefusalReason): void {
    increment(this.refusedUpgrades, reason);
  }

  /** Prometheus text format: HELP and TYPE lines, then samples. */
  render(runtime: string, openConnections: number, bufferedBytes: number): string {
    const lines: string[] = [];
    const family = (name: string, type: "gauge" | "counter", help: string, samples: Array<[string, number]>) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
    };
    const labelled = <K extends string | number>(label: string, counts: Map<K, number>) =>
      [...counts].map(([key, value]): [string, number] => [`{${label}="${key}"}`, value]);

    family("websocket_connections_open", "gauge", "WebSocket connections open now.", [[`{runtime="${runtime}"}`, openConnections]]);
    family("websocket_connections_total", "counter", "WebSocket connections accepted, by route.", labelled("route", this.connectionsTotal));
    family("websocket_upgrades_refused_total", "counter", "Upgrade requests refused before a WebSocket existed, by reason.", labelled("reason", this.refusedUpgrades));
    family("websocket_closes_total", "counter", "WebSocket connections closed, by close code.", labelled("code", this.closesByCode));
    family("websocket_messages_received_total", "counter", "Messages received from clients.", [["", this.messagesIn]]);
    family("websocket_messages_sent_total", "counter", "Messages sent to clients.", [["", this.messagesOut]]);
    family("websocket_received_bytes_total", "counter", "Payload bytes received from clients.", [["", this.bytesIn]]);
    family("websocket_sent_bytes_total", "counter", "Payload bytes sent to clients.", [["", this.bytesOut]]);
    family("websocket_connections_paused", "gauge", "Connections not read now because their replies wait unsent (flow control).", [["", this.pausedConnections]]);
    family("websocket_send_buffer_bytes", "gauge", "Bytes waiting to be sent, over every connection.", [["", bufferedBytes]]);
    family("websocket_flow_control_pauses_total", "counter", "Times a connection was paused because MAX_BUFFERED_BYTES were waiting.", [["", this.pauses]]);
    family("websocket_stalled_terminations_total", "counter", "Connections dropped after staying paused without draining.", [["", this.stalledTerminations]]);
    return `${lines.join("\n")}\n`;
  }
}

function increment<K>(counts: Map<K, number>, key: K): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
