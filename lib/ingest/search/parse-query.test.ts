import { describe, expect, it } from "vitest";
import { parseLogSearch, requiredLiterals, SearchSyntaxError } from "./parse-query";

describe("parseLogSearch", () => {
  it("separates words, phrases and JSON field filters", () => {
    expect(parseLogSearch('level = ERROR userId=42 "connection reset by peer" timeout')).toEqual({
      words: ["timeout"],
      phrases: ["connection reset by peer"],
      fields: [
        { path: ["level"], value: "ERROR" },
        { path: ["userId"], value: "42" },
      ],
      regexes: [],
    });
  });

  it("reads quoted field values and nested paths", () => {
    expect(parseLogSearch('user.name = "Ada Lovelace"').fields).toEqual([{ path: ["user", "name"], value: "Ada Lovelace" }]);
  });

  it("reads /regular expressions/ with spaces and escaped slashes, beside words", () => {
    expect(parseLogSearch("photo.jpg /users\\/[0-9]+\\/photo/ /time(d)? out/")).toEqual({
      words: ["photo.jpg"],
      phrases: [],
      fields: [],
      regexes: ["users/[0-9]+/photo", "time(d)? out"],
    });
  });

  it("keeps a path that starts with a slash a word", () => {
    expect(parseLogSearch("/var/task/index.mjs /tmp")).toMatchObject({ words: ["/var/task/index.mjs", "/tmp"], regexes: [] });
  });

  it("refuses more than three regular expressions", () => {
    expect(() => parseLogSearch("/a/ /b/ /c/ /d/")).toThrow(SearchSyntaxError);
  });

  it("refuses an unclosed phrase", () => {
    expect(() => parseLogSearch('"oops')).toThrow(SearchSyntaxError);
  });
});

describe("requiredLiterals", () => {
  it("finds the plain text every match holds", () => {
    expect(requiredLiterals("processed order [0-9]+ for customer 42 ")).toEqual(["processed order ", " for customer 42 "]);
    expect(requiredLiterals("users\\/\\d+\\/photo\\.jpg")).toEqual(["users/", "/photo.jpg"]);
    expect(requiredLiterals("^START RequestId: [0-9a-f-]{36}$")).toEqual(["START RequestId: "]);
  });

  it("leaves out what a quantifier makes optional, and gives up on groups and alternatives", () => {
    expect(requiredLiterals("timed? out")).toEqual(["time", " out"]);
    expect(requiredLiterals("colou*r")).toEqual(["colo"]);
    expect(requiredLiterals("abcd{0,2}e")).toEqual(["abc"]);
    expect(requiredLiterals("time(d)? out")).toEqual([]);
    expect(requiredLiterals("error|warn")).toEqual([]);
    expect(requiredLiterals("a.b")).toEqual([]);
  });
});
