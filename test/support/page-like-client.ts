// A client that behaves like the page under a restart: it sends a numbered message every 100 ms and,
// after a 1001, reconnects 0.25-0.5 s later (the page's first backoff step). It records what a user
// would notice: refused reconnects, how long after its 1001 it was answered again, and the messages
// that were on their way when the close came and were never answered (a real client sends them again).
import WebSocket from "ws";

/** What one client saw, for the test to judge. */
export interface ClientRecord {
  /** 1001 closes it reconnected after. */
  goingAways: number;
  /** Reconnects refused or failed (e.g. nginx's 502/503), by status or error. */
  failedAttempts: string[];
  /** Other closes than 1001 while the test ran. */
  otherCloses: number[];
  /** For each 1001: ms from the close to the first answer on the next connection (Infinity if none). */
  backAfterMs: number[];
  /** Messages sent on a connection that then closed before answering them. */
  unansweredAtClose: number;
  sent: number;
  answered: number;
}

/** One page-like client; `stop()` closes it with 1000 and returns what it saw. */
export interface PageLikeClient {
  /** Resolves once the first message on the first connection was answered. */
  ready: Promise<void>;
  stop(): Promise<ClientRecord>;
}

const SEND_EVERY_MS = 100;
const reconnectDelayMs = () => 250 + Math.random() * 250;

/** Starts a client of `url` from `localAddress`, trusting `ca` for wss:. */
export function pageLikeClient(url: string, options: { ca?: string; localAddress: string; name: string }): PageLikeClient {
  const record: ClientRecord = { goingAways: 0, failedAttempts: [], otherCloses: [], backAfterMs: [], unansweredAtClose: 0, sent: 0, answered: 0 };
  let stopping = false;
  let socket: WebSocket | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let counter = 0;
  let lastGoingAwayAt: number | undefined;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  let closedForGood: () => void = () => {};
  const finished = new Promise<void>((resolve) => (closedForGood = resolve));

  const connect = () => {
    const pending = new Set<string>();
    let opened = false;
    const current = new WebSocket(url, { ca: options.ca, localAddress: options.localAddress });
    socket = current;
    const send = () => {
      if (current.readyState !== WebSocket.OPEN) return;
      const message = `${options.name}:${counter++}`;
      pending.add(message);
      record.sent++;
      current.send(message);
    };
    current.on("open", () => {
      opened = true;
      send();
      timer = setInterval(send, SEND_EVERY_MS);
    });
    current.on("message", (data) => {
      if (!pending.delete(data.toString())) return;
      record.answered++;
      markReady();
      if (lastGoingAwayAt !== undefined) {
        record.backAfterMs.push(Date.now() - lastGoingAwayAt);
        lastGoingAwayAt = undefined;
      }
    });
    let refused = false;
    current.on("unexpected-response", (_request, response) => {
      refused = true;
      record.failedAttempts.push(String(response.statusCode));
      current.terminate();
    });
    // Not again for the refusal above: terminating a handshake is reported as an error too, as is the
    // handshake stop() cuts short.
    current.on("error", (error) => {
      if (!opened && !refused && !stopping) record.failedAttempts.push(error.message);
    });
    current.on("close", (code) => {
      clearInterval(timer);
      record.unansweredAtClose += pending.size;
      if (stopping) return closedForGood();
      if (code === 1001) {
        record.goingAways++;
        // A second 1001 before the first was answered again counts as never back.
        if (lastGoingAwayAt !== undefined) record.backAfterMs.push(Infinity);
        lastGoingAwayAt = Date.now();
      } else if (opened) {
        record.otherCloses.push(code);
      }
      setTimeout(() => !stopping && connect(), reconnectDelayMs());
    });
  };
  connect();

  return {
    ready,
    stop: async () => {
      stopping = true;
      if (lastGoingAwayAt !== undefined) record.backAfterMs.push(Infinity);
      const last = socket;
      if (last && last.readyState === WebSocket.OPEN) {
        last.close(1000);
        await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, 2000))]);
      } else {
        last?.terminate();
      }
      return record;
    },
  };
}
