import { describe, expect, it } from "vitest";
import { Id, IdParam, INT4_MAX, QueryDecimal, QueryInt } from "./common";

describe("Id", () => {
  it("takes plain decimal ids within int4", () => {
    expect(Id.parse("1")).toBe(1);
    expect(Id.parse(String(INT4_MAX))).toBe(INT4_MAX);
    expect(IdParam.parse({ id: "42" })).toEqual({ id: 42 });
  });

  it("refuses what Number() would read as another id, and ids the column cannot hold", () => {
    for (const id of ["0x1", "1e3", "-1", "0", "01", "1.0", " 1", "1 ", "+1", "", String(INT4_MAX + 1), String(2 ** 63), "1\0"]) {
      expect(Id.safeParse(id).success, JSON.stringify(id)).toBe(false);
    }
  });
});

describe("QueryInt and QueryDecimal", () => {
  it("read decimal numbers a user types, within bounds", () => {
    expect(QueryInt(1, 500).parse("50")).toBe(50);
    expect(QueryDecimal(0, 1e9).parse("1000.25")).toBe(1000.25);
    expect(QueryDecimal(0, 1e9).parse("0")).toBe(0);
    expect(QueryDecimal(0, 1e9).parse("123.45678901234")).toBe(123.45678901234);
  });

  it("refuse exponents, hex, signs, Infinity and out-of-range values", () => {
    for (const v of ["1e3", "0x10", "-1", "Infinity", "NaN", "501", " 5"]) expect(QueryInt(1, 500).safeParse(v).success, v).toBe(false);
    for (const v of ["1e3", "Infinity", "-0.5", "1.", ".5", "2000000000"]) expect(QueryDecimal(0, 1e9).safeParse(v).success, v).toBe(false);
  });
});
