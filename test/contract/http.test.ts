// The plain HTTP routes: the page, /healthz and 404.
import { describe, expect, inject, it } from "vitest";
import { runtimes } from "../../src/runtimes.ts";
import { httpGet } from "../support/http-client.ts";

const baseUrl = inject("baseUrl");

describe("HTTP routes", () => {
  it("serves the HTML5 client at / with a strict CSP and no external resources", async () => {
    const response = await httpGet(new URL("/", baseUrl));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/]+=*'/);
    const html = await response.text();
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
  });

  it("answers /healthz with status ok and the runtime", async () => {
    const response = await httpGet(new URL("/healthz", baseUrl));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await response.json()) as { status: string; runtime: string };
    expect(body.status).toBe("ok");
    expect(runtimes).toContain(body.runtime);
  });

  it("answers 404 for anything else", async () => {
    for (const path of ["/nope", "/ws/extra", "/healthz/x"]) {
      const response = await httpGet(new URL(path, baseUrl));
      expect(response.status).toBe(404);
      await response.body?.cancel();
    }
  });
});
