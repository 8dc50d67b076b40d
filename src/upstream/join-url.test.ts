import { describe, expect, it } from "vitest";
import { joinUrl, renderPath } from "./join-url.ts";

describe("joinUrl", () => {
  it("keeps a path prefix with or without a trailing slash", () => {
    expect(joinUrl("http://rm:8088/proxy/application_1_0001/", "/v1/jobs/overview")).toBe(
      "http://rm:8088/proxy/application_1_0001/v1/jobs/overview",
    );
    expect(joinUrl("http://emu:9000/clusters/s1", "jobs")).toBe("http://emu:9000/clusters/s1/jobs");
    expect(joinUrl("http://jm:8081", "/overview")).toBe("http://jm:8081/overview");
  });

  it("appends query values, repeating arrays and dropping undefined", () => {
    const url = joinUrl("http://rm:8088/", "/ws/v1/cluster/apps", {
      states: "RUNNING,ACCEPTED",
      applicationTypes: "apache flink",
      limit: 5,
      user: undefined,
      failureLabelFilter: ["a:1", "b:2"],
    });
    expect(url).toBe(
      "http://rm:8088/ws/v1/cluster/apps?states=RUNNING%2CACCEPTED&applicationTypes=apache%20flink&limit=5&failureLabelFilter=a%3A1&failureLabelFilter=b%3A2",
    );
  });

  it("encodes a literal plus and a space differently", () => {
    expect(joinUrl("http://x/", "p", { a: "b+c d" })).toBe("http://x/p?a=b%2Bc%20d");
  });

  it("joins a plain path exactly as the URL parser would, and leaves the rest to it", () => {
    const paths = ["v1/jobs/abc123/checkpoints", "/jars/a%20b%2Fc.jar/run", "x/%zz/y", "a/./b", "a/../b", "..", "sp ace", "ü", "a#b", "a\\b", "q:@!$&'()*+,;=~"];
    for (const base of ["http://rm:8088/proxy/application_1_0001/", "http://jm:8081", "http://jm:8081/x/?a=1#f"]) {
      for (const path of paths) {
        const root = new URL(base);
        root.search = "";
        root.hash = "";
        if (!root.pathname.endsWith("/")) root.pathname += "/";
        expect(joinUrl(base, path), `${base} + ${path}`).toBe(new URL(root.href + path.replace(/^\/+/, "")).href);
      }
    }
  });

  it("drops the base's own query and fragment", () => {
    expect(joinUrl("http://jm:8081/x/?a=1#f", "y")).toBe("http://jm:8081/x/y");
  });
});

describe("renderPath", () => {
  it("encodes parameters and refuses missing ones", () => {
    expect(renderPath("/jars/{jarid}/run", { jarid: "a b/c.jar" })).toBe("/jars/a%20b%2Fc.jar/run");
    expect(() => renderPath("/jobs/{jobid}", {})).toThrow(/jobid/);
  });
});
