// Hono works as Hono on every runtime: the test entry mounts Hono's own bearerAuth in front of /ws,
// and behind it a middleware that reads the request as a whole (test/entries/test-app.ts).
import { describe, expect, it } from "vitest";
import { TEST_TOKEN } from "../entries/test-app.ts";
import { attemptUpgrade, closeAll, openSockets } from "../support/upgrade-attempt.ts";
import { ownTestEntry } from "../support/own-server.ts";
import { wsUrl } from "../support/ws-client.ts";

const server = ownTestEntry();

/** The server's `open` log lines so far. */
const openLines = () => server().output.filter((line) => line.includes('"event":"open"'));

describe("bearerAuth in front of /ws", () => {
  it("opens a socket for the right token", async () => {
    const attempt = await attemptUpgrade(wsUrl(server().baseUrl, "/ws"), { headers: { Authorization: `Bearer ${TEST_TOKEN}` } });
    expect(attempt.status).toBe(101);
    await closeAll(openSockets([attempt]));
  });

  it("answers 401 to a wrong token or none, before a socket exists", async () => {
    const opensBefore = openLines().length;
    const url = wsUrl(server().baseUrl, "/ws");
    expect(await attemptUpgrade(url, { headers: { Authorization: "Bearer wrong" } })).toMatchObject({ status: 401 });
    expect(await attemptUpgrade(url)).toMatchObject({ status: 401 });
    expect(openLines()).toHaveLength(opensBefore);
  });

  it("leaves the routes it is not mounted on alone", async () => {
    const attempt = await attemptUpgrade(wsUrl(server().baseUrl, "/echo"));
    expect(attempt.status).toBe(101);
    await closeAll(openSockets([attempt]));
  });
});
