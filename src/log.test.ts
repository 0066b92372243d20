import { describe, expect, it } from "vitest";
import { createLogger } from "./log.ts";

describe("createLogger", () => {
  it("writes one JSON object per line with ts, level, event, runtime and the fields", () => {
    const lines: string[] = [];
    createLogger({ runtime: "deno", level: "info", write: (line) => lines.push(line) }).info("open", { id: "a", bytes_in: 3 });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({ level: "info", event: "open", runtime: "deno", id: "a", bytes_in: 3 });
    expect(new Date(JSON.parse(lines[0] ?? "").ts).getTime()).not.toBeNaN();
  });

  it("drops lines below the level, but never listen and shutdown", () => {
    const lines: string[] = [];
    const log = createLogger({ runtime: "node", level: "warn", write: (line) => lines.push(line) });
    log.info("open");
    log.info("close");
    log.info("listen", { port: 1 });
    log.info("shutdown");
    log.warn("error");
    expect(lines.map((line) => JSON.parse(line).event)).toEqual(["listen", "shutdown", "error"]);
  });
});
