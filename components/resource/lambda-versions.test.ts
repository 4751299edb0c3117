import { describe, expect, it } from "vitest";
import { lambdaVersions } from "./lambda-versions";

describe("lambdaVersions", () => {
  const config = {
    publishedVersions: [
      { version: "1", codeSha256: "YFgDgEKG3ugvF1+pX64gV6tu9qNuIYNUdgJm8nCxsm4=", lastModified: "2019-09-26T20:28:40.438+0000", description: null },
      { version: "2", codeSha256: "sU0cJ2/hOZevwV/lTxCuQqK3gDZP3i8gUoqUUVRmY6E=", lastModified: "2019-10-01T16:47:28.490+0000", description: "Fixes the retry loop" },
    ],
    aliases: [
      { name: "BLUE", functionVersion: "2", additionalVersionWeights: { "1": 0.7 } },
      { name: "GREEN", functionVersion: "1", additionalVersionWeights: {} },
    ],
  };

  it("lists versions newest first with a short CodeSha256, the description and when they were published", () => {
    const { versions } = lambdaVersions(config);
    expect(versions?.map((v) => [v.version, v.shortSha, v.description])).toEqual([
      ["2", "sU0cJ2/h", "Fixes the retry loop"],
      ["1", "YFgDgEKG", null],
    ]);
    expect(versions?.[0].lastModified).toBe(Date.UTC(2019, 9, 1, 16, 47, 28, 490));
  });

  it("gives each alias its versions and weights, the main version taking what the others leave", () => {
    const { aliases, versions } = lambdaVersions(config);
    expect(aliases).toEqual([
      { name: "BLUE", routes: [{ version: "2", weight: expect.closeTo(0.3, 10) }, { version: "1", weight: 0.7 }] },
      { name: "GREEN", routes: [{ version: "1", weight: 1 }] },
    ]);
    expect(versions?.find((v) => v.version === "1")?.aliases).toEqual(["BLUE", "GREEN"]);
  });

  it("reads configs from before descriptions and weights were kept, and says when nothing was stored", () => {
    const old = lambdaVersions({ publishedVersions: [{ version: "3", codeSha256: "abc", lastModified: null }], aliases: [{ name: "live", functionVersion: "3" }] });
    expect(old.versions).toEqual([{ version: "3", shortSha: "abc", codeSha256: "abc", description: null, lastModified: null, aliases: ["live"] }]);
    expect(old.aliases).toEqual([{ name: "live", routes: [{ version: "3", weight: 1 }] }]);
    expect(lambdaVersions({})).toEqual({ versions: null, aliases: null });
  });
});
