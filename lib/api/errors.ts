import { NextResponse } from "next/server";
import { ZodError } from "zod";
import { childLog } from "../log";

export class AppError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
export class ValidationError extends AppError {
  constructor(message: string, readonly issues: unknown[] = []) {
    super(message, 400, "validation_error");
  }
}
export class NotFoundError extends AppError {
  constructor(what: string) {
    super(`${what} not found`, 404, "not_found");
  }
}
export class ConflictError extends AppError {
  constructor(message: string) {
    super(message, 409, "conflict");
  }
}
export function nulError(where: string): ValidationError {
  return new ValidationError(`NUL characters are not allowed (in ${where})`, [{ path: where, message: "contains a NUL character" }]);
}
export class UpstreamError extends AppError {
  constructor(message: string) {
    super(message, 502, "upstream_error");
  }
}

const log = childLog("api");

/** The one error mapper for /api/v1: known errors say what is wrong; anything else is logged and answered with a generic 500. */
export function toErrorResponse(err: unknown): NextResponse {
  if (err instanceof ZodError) {
    const issues = err.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    return NextResponse.json({ error: { code: "validation_error", message: "Invalid request", issues } }, { status: 400 });
  }
  if (err instanceof ValidationError) {
    return NextResponse.json({ error: { code: err.code, message: err.message, issues: err.issues } }, { status: 400 });
  }
  if (err instanceof AppError) {
    return NextResponse.json({ error: { code: err.code, message: err.message } }, { status: err.status });
  }
  if (isDataException(err)) {
    // A value the database cannot take (out of range, bad encoding) came from the request: say so rather than 500.
    log.warn({ code: (err as { code?: string }).code }, "request value refused by the database");
    return NextResponse.json({ error: { code: "validation_error", message: "A value in the request is out of range or not valid" } }, { status: 400 });
  }
  if (isUniqueViolation(err)) {
    return NextResponse.json({ error: { code: "conflict", message: "A record with the same key already exists" } }, { status: 409 });
  }
  log.error({ err }, "unhandled API error");
  return NextResponse.json({ error: { code: "internal_error", message: "Internal server error" } }, { status: 500 });
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string } | null;
  return e?.code === "P2002" || e?.code === "23505";
}

/** Postgres class 22 (data exception: numeric out of range, invalid text, NUL in text, ...), directly or as Prisma reports it. */
export function isDataException(err: unknown): boolean {
  const e = err as { code?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } } | null;
  const code = typeof e?.code === "string" ? e.code : undefined;
  const original = e?.meta?.driverAdapterError?.cause?.originalCode;
  return (code !== undefined && /^22[0-9A-Z]{3}$/.test(code)) || (typeof original === "string" && original.startsWith("22"));
}
