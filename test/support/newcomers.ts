// New visitors while a roll runs: the users who arrive at the instants an instance is not listening.
import WebSocket from "ws";

/** How the newcomers fared: how many came, and why each one that was not answered 101 was not. */
export interface NewcomersOutcome {
  tried: number;
  refused: string[];
}

/**
 * Opens a WebSocket to `url` every 20 ms from `localAddress` until `done` (at most 20 s), each closed
 * with 1000 once open; resolves once every attempt has ended.
 */
export async function newcomers(url: string, done: () => boolean, options: { ca?: string; localAddress: string }): Promise<NewcomersOutcome> {
  const refused: string[] = [];
  const attempts: Array<Promise<void>> = [];
  for (const until = Date.now() + 20_000; !done() && Date.now() < until; ) {
    attempts.push(
      new Promise<void>((resolve) => {
        const socket = new WebSocket(url, options);
        socket.once("open", () => (socket.close(1000), resolve()));
        socket.once("unexpected-response", (_request, response) => (refused.push(String(response.statusCode)), socket.terminate(), resolve()));
        socket.once("error", (error) => (refused.push(error.message), resolve()));
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await Promise.all(attempts);
  return { tried: attempts.length, refused };
}
