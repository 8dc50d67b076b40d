import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, redactUrl } from "./logger.ts";

describe("createLogger", () => {
  it("writes JSON lines with credentials redacted", () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ level: "info", destination });
    logger.info({ headers: { authorization: "Bearer s3cret" }, secret: "whsec_1", webhook: { secret: "x" }, token: "fgt_abc" }, "hello");
    const line = JSON.parse(lines[0] ?? "{}");
    expect(line.msg).toBe("hello");
    expect(line.level).toBe("info");
    expect(JSON.stringify(line)).not.toMatch(/s3cret|whsec_1|fgt_abc|"x"/);
    expect(line.headers.authorization).toBe("[redacted]");
  });

  it("hides a database password", () => {
    expect(redactUrl("postgres://u:hunter2@db:5432/x")).toBe("postgres://u:redacted@db:5432/x");
  });
});
