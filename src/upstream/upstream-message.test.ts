import { describe, expect, it } from "vitest";
import { extractUpstreamMessage, shortLine } from "./upstream-message.ts";

describe("extractUpstreamMessage", () => {
  it("shortens a Flink stack trace to its first line without the class name", () => {
    const body = JSON.stringify({
      errors: [
        "org.apache.flink.runtime.rest.NotFoundException: Job 0123456789abcdef0123456789abcdef not found\n\tat org.apache.flink.runtime.rest.handler.job.AbstractExecutionGraphHandler.lambda$handleRequest$1(AbstractExecutionGraphHandler.java:99)\n",
      ],
    });
    const m = extractUpstreamMessage(body);
    expect(m?.short).toBe("Job 0123456789abcdef0123456789abcdef not found");
    expect(m?.detail).toContain("AbstractExecutionGraphHandler.java:99");
  });

  it("reads the second entry of Flink's 500 form", () => {
    const body = JSON.stringify({
      errors: [
        "Internal server error.",
        "<Exception on server side:\njava.lang.IllegalStateException: boom\n\tat x.y(Z.java:1)\n\nEnd of exception on server side>",
      ],
    });
    expect(extractUpstreamMessage(body)?.short).toBe("Internal server error. boom");
  });

  it("reads YARN's RemoteException", () => {
    const body = JSON.stringify({
      RemoteException: {
        exception: "NotFoundException",
        message: "java.lang.Exception: app with id: application_1_0001 not found",
        javaClassName: "org.apache.hadoop.yarn.webapp.NotFoundException",
      },
    });
    expect(extractUpstreamMessage(body)?.short).toBe("app with id: application_1_0001 not found");
  });

  it("names an HTML page by its title and keeps plain text", () => {
    expect(extractUpstreamMessage("<html><head><title>502 Bad Gateway</title></head></html>")?.short).toBe(
      "HTML page: 502 Bad Gateway",
    );
    expect(extractUpstreamMessage("Unauthorized attempt to kill appid x\n")?.short).toBe(
      "Unauthorized attempt to kill appid x",
    );
    expect(extractUpstreamMessage("  ")).toBeUndefined();
  });

  it("keeps a line that is only an exception class", () => {
    expect(shortLine("java.lang.NullPointerException")).toBe("java.lang.NullPointerException");
  });
});
