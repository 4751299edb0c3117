import { describe, expect, it } from "vitest";
import { toMarkers } from "./series-utils";

describe("toMarkers", () => {
  it("names a code deploy (a new package hash) apart from configuration changes", () => {
    const markers = toMarkers([
      { t: 1, changes: [{ path: "codeSha256", from: "a", to: "b" }, { path: "lastModified", from: "x", to: "y" }] },
      { t: 2, changes: [{ path: "codeSha256", from: "b", to: "c" }, { path: "memorySizeMB", from: 512, to: 1024 }] },
      { t: 3, changes: [{ path: "lastModified", from: "y", to: "z" }] },
    ]);
    expect(markers.map((m) => m.label)).toEqual(["code deploy", expect.stringMatching(/^code deploy, .*512.*1024/), "config changed"]);
  });
});
