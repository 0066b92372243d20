// How the e2e tests use the page at `/`: the way a person does (labels, roles, button names), and
// reading back what the page shows. Every wait is bounded.
import { expect } from "vitest";
import type { Browser, BrowserContext, Page, Response } from "playwright-core";

/** The three kinds of log line the page writes. */
export type LineKind = "sent" | "received" | "info";

/** An open client page and what it did besides rendering. */
export interface ClientPageSession {
  page: Page;
  /** The response that delivered the page (for its headers). */
  response: Response | null;
  /** The message of every alert/confirm/prompt the page opened: an injected script would show here. */
  dialogs: string[];
  /** Console errors and uncaught exceptions (a CSP violation is reported here). */
  errors: string[];
  close(): Promise<void>;
}

/** Opens `/` of `baseUrl` in a new browser context (its own cookies and storage). */
export async function openClientPage(
  browser: Browser,
  baseUrl: string,
  viewport = { width: 820, height: 660 },
  prepare?: (context: BrowserContext) => Promise<void>,
): Promise<ClientPageSession> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  await prepare?.(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  const response = await page.goto(new URL("/", baseUrl).href, { timeout: 15_000 });
  return { page, response, dialogs, errors, close: () => context.close() };
}

/** The connection status as the page spells it. */
export async function statusText(page: Page): Promise<string> {
  return (await page.getByRole("status").textContent()) ?? "";
}

/** Waits (bounded) until the status matches `pattern`. */
export async function waitForStatus(page: Page, pattern: RegExp, timeout = 15_000): Promise<void> {
  await expect.poll(() => statusText(page), { timeout, interval: 100 }).toMatch(pattern);
}

/** The texts of the log lines of one kind, oldest first. */
export function lineTexts(page: Page, kind: LineKind): Promise<string[]> {
  return page.locator(`#log .line.${kind} .text`).allTextContents();
}

/** Does `act`, then returns the text of the next received line; fails if none appears in time. */
export async function replyTo(page: Page, act: () => Promise<void>, timeout = 5_000): Promise<string> {
  const before = await page.locator("#log .line.received").count();
  await act();
  const reply = page.locator("#log .line.received .text").nth(before);
  await reply.waitFor({ timeout });
  return (await reply.textContent()) ?? "";
}

/** Types `text` into the message box and presses Enter. */
export async function typeAndEnter(page: Page, text: string): Promise<void> {
  const input = page.getByLabel("Message", { exact: true });
  await input.fill(text);
  await input.press("Enter");
}

/** Clicks the button of a bot command. */
export async function clickCommand(page: Page, command: string): Promise<void> {
  await page.getByRole("group", { name: "Commands" }).getByRole("button", { name: command, exact: true }).click();
}
