import { describe, expect, it } from "vitest";
import { isDataError, ParseFailure } from "./quarantine";

const pgError = (code: string) => Object.assign(new Error("x"), { code });

describe("isDataError", () => {
  it("blames the rows for data exceptions, constraint violations and size limits", () => {
    expect(isDataError(pgError("22021"))).toBe(true); // invalid byte sequence (NUL)
    expect(isDataError(pgError("22008"))).toBe(true); // timestamp out of range
    expect(isDataError(pgError("23514"))).toBe(true); // check violation, no partition for the row
    expect(isDataError(pgError("54000"))).toBe(true); // index row size exceeds maximum
    expect(isDataError(new ParseFailure(new TypeError("boom")))).toBe(true);
  });

  it("retries, not splits, on connection, lock and server trouble", () => {
    expect(isDataError(pgError("08006"))).toBe(false);
    expect(isDataError(pgError("40P01"))).toBe(false);
    expect(isDataError(pgError("57P01"))).toBe(false);
    expect(isDataError(pgError("ECONNRESET"))).toBe(false);
    expect(isDataError(new Error("Connection terminated unexpectedly"))).toBe(false);
  });
});
