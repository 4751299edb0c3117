import { describe, expect, it } from "vitest";
import { parseLogSearch, SearchSyntaxError } from "./parse-query";

describe("parseLogSearch", () => {
  it("separates words, phrases and JSON field filters", () => {
    expect(parseLogSearch('level = ERROR userId=42 "connection reset by peer" timeout')).toEqual({
      words: ["timeout"],
      phrases: ["connection reset by peer"],
      fields: [
        { path: ["level"], value: "ERROR" },
        { path: ["userId"], value: "42" },
      ],
    });
  });

  it("reads quoted field values and nested paths", () => {
    expect(parseLogSearch('user.name = "Ada Lovelace"').fields).toEqual([{ path: ["user", "name"], value: "Ada Lovelace" }]);
  });

  it("refuses an unclosed phrase", () => {
    expect(() => parseLogSearch('"oops')).toThrow(SearchSyntaxError);
  });
});
