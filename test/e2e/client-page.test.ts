// The page at `/` in headless Chromium against the real server of one runtime (the project's
// `runtime`): it connects by itself, every command works by button and by keyboard, server text is
// only ever text, the echo route works, binary is shown by size, and it fits a phone.
import { statSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { commandNames, findCommand } from "../../src/core/commands.ts";
import { startRuntime } from "../support/runtimes.ts";
import type { ServerProcess } from "../support/server-process.ts";
import { launchBrowser } from "./support/browser.ts";
import { clickCommand, lineTexts, openClientPage, replyTo, statusText, typeAndEnter, waitForStatus } from "./support/client-page-driver.ts";

const runtime = inject("runtime");
const htmlPayload = "<img src=x onerror=alert(1)>";
// `bye` ends the conversation; reconnection.test.ts covers it.
const conversationalCommands = commandNames.filter((name) => !findCommand(name)?.closesConnection);

let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  // The browser first: if it cannot start, no server is left running behind the failed suite.
  browser = await launchBrowser();
  server = await startRuntime(runtime, { env: { BOT_TIMEZONE: "UTC" } });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

// The replies the command table gives for any second between `from` and `to` (date and time move on
// while the message travels); the exact words per command are the contract suite's business.
function possibleReplies(command: string, from: number, to: number): string[] {
  const found = findCommand(command);
  if (!found) throw new Error(`${command} is not a command`);
  const replies = new Set<string>();
  for (let now = from; now < to + 1000; now += 1000) replies.add(found.reply({ now: Math.min(now, to), timeZone: "UTC" }));
  return [...replies];
}

function socketUrlOf(baseUrl: string, path: string): string {
  return new URL(path, baseUrl).href.replace(/^http/, "ws");
}

describe(`the client page on ${runtime}`, () => {
  it("is served with a strict CSP and connects to /ws of its own host by itself", async () => {
    const client = await openClientPage(browser, server.baseUrl);
    const policy = client.response?.headers()["content-security-policy"] ?? "";
    expect(policy).toContain("default-src 'none'");
    expect(policy).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(policy).not.toContain("unsafe");
    await waitForStatus(client.page, /^open/);
    expect(await statusText(client.page)).toBe(`open: ${socketUrlOf(server.baseUrl, "/ws")}`);
    expect(await lineTexts(client.page, "info")).toEqual([`connected to ${socketUrlOf(server.baseUrl, "/ws")}`]);
    expect(client.errors).toEqual([]);
    await client.close();
  });

  it("sends every command by its button and shows the reply", async () => {
    const client = await openClientPage(browser, server.baseUrl);
    await waitForStatus(client.page, /^open/);
    for (const command of conversationalCommands) {
      const sentAt = Date.now();
      const reply = await replyTo(client.page, () => clickCommand(client.page, command));
      expect(possibleReplies(command, sentAt, Date.now())).toContain(reply);
    }
    expect(await lineTexts(client.page, "sent")).toEqual(conversationalCommands);
    await client.close();
  });

  it("sends what is typed on Enter, clears the box, and shows the reply", async () => {
    const client = await openClientPage(browser, server.baseUrl);
    await waitForStatus(client.page, /^open/);
    for (const command of conversationalCommands) {
      const sentAt = Date.now();
      const reply = await replyTo(client.page, () => typeAndEnter(client.page, command));
      expect(possibleReplies(command, sentAt, Date.now())).toContain(reply);
      expect(await client.page.getByLabel("Message", { exact: true }).inputValue()).toBe("");
    }
    expect(await replyTo(client.page, () => typeAndEnter(client.page, "open the pod bay doors"))).toBe("You have entered: open the pod bay doors");
    await client.close();
  });

  it("shows server text containing HTML literally and runs none of it", async () => {
    const client = await openClientPage(browser, server.baseUrl);
    await waitForStatus(client.page, /^open/);
    expect(await replyTo(client.page, () => typeAndEnter(client.page, htmlPayload))).toBe(`You have entered: ${htmlPayload}`);
    expect((await lineTexts(client.page, "sent")).at(-1)).toBe(htmlPayload);
    // Had the text been parsed as HTML, the broken image's onerror would have run by now.
    await client.page.waitForTimeout(300);
    expect(await client.page.locator("#log img").count()).toBe(0);
    expect(await client.page.locator("#log .line.received .text *").count()).toBe(0);
    expect(client.dialogs).toEqual([]);
    expect(client.errors).toEqual([]);
    await client.close();
  });

  it("talks to the byte-exact echo when that route is chosen", async () => {
    const client = await openClientPage(browser, server.baseUrl);
    await waitForStatus(client.page, /^open/);
    await client.page.getByRole("radio", { name: /echo/ }).check();
    await waitForStatus(client.page, /^open: .*\/echo$/);
    expect(await statusText(client.page)).toBe(`open: ${socketUrlOf(server.baseUrl, "/echo")}`);
    expect(await replyTo(client.page, () => clickCommand(client.page, "hello"))).toBe("hello");
    expect(await replyTo(client.page, () => typeAndEnter(client.page, `  ${htmlPayload} ü€😀`))).toBe(`  ${htmlPayload} ü€😀`);
    expect(await client.page.locator("#log img").count()).toBe(0);
    expect(client.dialogs).toEqual([]);
    await client.close();
  });

  it("shows a binary message by its size", async () => {
    // The page only sends text, so a proxy in the browser turns one echo into a binary frame; the
    // echo itself still comes from the real server.
    const client = await openClientPage(browser, server.baseUrl, undefined, (context) =>
      context.routeWebSocket(/\/echo$/, (route) => {
        const upstream = route.connectToServer();
        upstream.onMessage((message) => route.send(message === "as binary" ? Buffer.from([1, 2, 3, 4, 5, 6, 7]) : message));
      }),
    );
    await waitForStatus(client.page, /^open/);
    await client.page.getByRole("radio", { name: /echo/ }).check();
    await waitForStatus(client.page, /^open: .*\/echo$/);
    expect(await replyTo(client.page, () => typeAndEnter(client.page, "as binary"))).toBe("[binary, 7 bytes]");
    await client.close();
  });

  it("fits a 360 px phone screen and can be used with the keyboard alone", async () => {
    const client = await openClientPage(browser, server.baseUrl, { width: 360, height: 740 });
    await waitForStatus(client.page, /^open/);
    const { page } = client;
    await replyTo(page, () => typeAndEnter(page, "help"));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    for (const control of [page.getByLabel("Message", { exact: true }), page.getByRole("button", { name: "Send" }), page.getByRole("button", { name: "Reconnect" })]) {
      const box = await control.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 360).toBe(true);
    }
    // The message box has focus on load; Enter sends, Tab reaches the buttons, and focus is visible.
    await page.keyboard.type("hi");
    expect(await replyTo(page, () => page.keyboard.press("Enter"))).toBe("zup human");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Send");
    expect(await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle)).toBe("solid");
    await page.keyboard.press("Tab");
    expect(await replyTo(page, () => page.keyboard.press("Enter"))).toBe("hello human");
    await page.screenshot({ path: `test-results/client-page-${runtime}-phone.png`, fullPage: true });
    await client.close();
  });

  it("records a screenshot of a conversation", async () => {
    const client = await openClientPage(browser, server.baseUrl);
    const { page } = client;
    await waitForStatus(page, /^open/);
    for (const command of ["hello", "name", "time"]) await replyTo(page, () => clickCommand(page, command));
    await replyTo(page, () => typeAndEnter(page, htmlPayload));
    await page.getByLabel("Message", { exact: true }).fill("what is the last question?");
    const path = `test-results/client-page-${runtime}.png`;
    await page.screenshot({ path });
    expect(statSync(path).size).toBeGreaterThan(1000);
    await client.close();
  });
});
