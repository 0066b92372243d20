// The page as the server renders it: script that parses, hashes that match, a button per command.
// What it does in a browser is tested in test/e2e/.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { commandNames } from "../core/commands.ts";
import { clientPage, escapeHtml } from "./client-page.ts";
import { clientScript } from "./client-script.ts";
import { clientStyle } from "./client-style.ts";

const sha256 = (text: string) => createHash("sha256").update(text).digest("base64");

describe("the client page", () => {
  it("ships a script that parses as JavaScript", () => {
    expect(() => new Function(clientScript)).not.toThrow();
  });

  it("allows exactly its own inline script and style, and nothing else", async () => {
    const { html, contentSecurityPolicy } = await clientPage();
    expect(html).toContain(`<script>${clientScript}</script>`);
    expect(html).toContain(`<style>${clientStyle}</style>`);
    expect(contentSecurityPolicy).toContain("default-src 'none'");
    expect(contentSecurityPolicy).toContain(`script-src 'sha256-${sha256(clientScript)}'`);
    expect(contentSecurityPolicy).toContain(`style-src 'sha256-${sha256(clientStyle)}'`);
    expect(contentSecurityPolicy).not.toContain("unsafe");
  });

  it("has one inline script and one inline style, and loads nothing from elsewhere", async () => {
    const { html } = await clientPage();
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html.match(/<style/g)).toHaveLength(1);
    expect(html).not.toMatch(/\b(src|href)="(?!data:)/);
    expect(html).not.toMatch(/ on[a-z]+=/);
  });

  it("renders a button for every command", async () => {
    const { html } = await clientPage();
    for (const name of commandNames) {
      expect(html).toContain(`<button type="button" data-command="${name}">${name}</button>`);
    }
  });

  it("stays small", async () => {
    const { html } = await clientPage();
    expect(new TextEncoder().encode(html).byteLength).toBeLessThan(16 * 1024);
  });
});

describe("escapeHtml", () => {
  it("escapes the characters that could open markup or leave an attribute", () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')">&`)).toBe("&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;");
  });
});
