// SIGTERM: every open connection is closed with 1001 and the process exits 0 within the grace period.
import { describe, expect, it } from "vitest";
import { runtimeUnderTest } from "../support/own-server.ts";
import { startRuntime } from "../support/runtimes.ts";
import { openSocket, wsUrl } from "../support/ws-client.ts";

describe("graceful shutdown", () => {
  it("closes every connection with 1001 and exits 0 in time", async () => {
    const server = await startRuntime(runtimeUnderTest(), { env: { SHUTDOWN_GRACE_S: "5" } });
    try {
      const clients = await Promise.all([
        openSocket(wsUrl(server.baseUrl, "/ws")),
        openSocket(wsUrl(server.baseUrl, "/echo")),
        openSocket(wsUrl(server.baseUrl, "/ws"), "chat"),
      ]);
      const exited = new Promise<{ code: number | null; afterMs: number }>((resolve) => {
        const sent = Date.now();
        server.child.once("exit", (code) => resolve({ code, afterMs: Date.now() - sent }));
      });
      server.child.kill("SIGTERM");
      for (const client of clients) expect((await client.closed).code).toBe(1001);
      const { code, afterMs } = await exited;
      expect(code).toBe(0);
      expect(afterMs).toBeLessThan(5000);
      expect(server.output.some((line) => line.includes('"event":"shutdown"'))).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it("exits 0 at once when nothing is connected", async () => {
    const server = await startRuntime(runtimeUnderTest(), { env: { SHUTDOWN_GRACE_S: "10" } });
    const sent = Date.now();
    const code = await new Promise<number | null>((resolve) => {
      server.child.once("exit", resolve);
      server.child.kill("SIGINT");
    });
    expect(code).toBe(0);
    expect(Date.now() - sent).toBeLessThan(3000);
  });
});
