// When the page reconnects and when it must not: `bye` and Quit end the conversation for good; a
// server that goes away and comes back on the same port is found again without anyone clicking.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startRuntime } from "../support/runtimes.ts";
import type { ServerProcess } from "../support/server-process.ts";
import { launchBrowser } from "./support/browser.ts";
import { freePort } from "./support/free-port.ts";
import { clickCommand, lineTexts, openClientPage, replyTo, statusText, waitForStatus } from "./support/client-page-driver.ts";

const runtime = inject("runtime");
// Longer than the page's first reconnection delay (at most 500 ms), so a wrong retry would show.
const longerThanFirstRetryMs = 2_000;

let port: number;
let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  port = await freePort();
  // The browser first: if it cannot start, no server is left running behind the failed suite.
  browser = await launchBrowser();
  server = await startRuntime(runtime, { port });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function connections(page: Page): Promise<number> {
  return (await lineTexts(page, "info")).filter((line) => line.startsWith("connected to ")).length;
}

function loggedOpens(server: ServerProcess): number {
  return server.output.filter((line) => line.includes('"event":"open"')).length;
}

describe(`reconnection of the client page on ${runtime}`, () => {
  it("shows the server's close after bye with code 1000 and does not reconnect", async () => {
    const { page, close } = await openClientPage(browser, server.baseUrl);
    await waitForStatus(page, /^open/);
    expect(await replyTo(page, () => clickCommand(page, "bye"))).toBe("bye");
    await waitForStatus(page, /^closed \(1000 bye\)$/);
    await page.waitForTimeout(longerThanFirstRetryMs);
    expect(await statusText(page)).toBe("closed (1000 bye)");
    expect(await connections(page)).toBe(1);
    await close();
  });

  it("stays closed after Quit, until Reconnect is pressed", async () => {
    const { page, close } = await openClientPage(browser, server.baseUrl);
    await waitForStatus(page, /^open/);
    await page.getByRole("button", { name: "Quit" }).click();
    expect(await statusText(page)).toMatch(/^(closing|closed)/);
    await waitForStatus(page, /^closed \(\d+/);
    await page.waitForTimeout(longerThanFirstRetryMs);
    expect(await page.getByRole("status").getAttribute("data-state")).toBe("closed");
    expect(await connections(page)).toBe(1);
    await page.getByRole("button", { name: "Reconnect" }).click();
    await waitForStatus(page, /^open/);
    expect(await replyTo(page, () => clickCommand(page, "hi"))).toBe("zup human");
    await close();
  });

  it("shows the drop when the server stops, and reconnects by itself when it is back on the same port", async () => {
    const { page, close } = await openClientPage(browser, server.baseUrl);
    await waitForStatus(page, /^open/);
    const baseUrl = server.baseUrl;

    await server.stop();
    await waitForStatus(page, /^closed \(\d+.*\); reconnecting in \d+\.\d s \(attempt \d+\)$/);
    // The page keeps trying while nothing listens: a second attempt means the first one failed.
    await waitForStatus(page, /\(attempt [2-9]\)$/, 10_000);
    expect(await page.getByRole("status").getAttribute("data-state")).toBe("reconnecting");

    server = await startRuntime(runtime, { port });
    expect(server.baseUrl, `the ${runtime} launcher must honour the port it is given`).toBe(baseUrl);
    // Bounded by the backoff cap (10 s) plus a connection.
    await waitForStatus(page, /^open/, 20_000);
    expect(await connections(page)).toBe(2);
    await expect.poll(() => loggedOpens(server), { timeout: 5_000 }).toBeGreaterThan(0);
    expect(await replyTo(page, () => clickCommand(page, "hello"))).toBe("hello human");
    await close();
  });
});
