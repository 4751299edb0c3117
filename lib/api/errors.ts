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

type Handler<C> = (req: Request, ctx: C) => Promise<Response>;

/** Wraps a route handler with the error mapper. */
export function handle<C>(fn: Handler<C>): Handler<C> {
  return async (req, ctx) => {
    try {
      return await fn(req, ctx);
    } catch (err) {
      return toErrorResponse(err);
    }
  };
}

export async function readJson(req: Request): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw new ValidationError("Request body must be valid JSON");
  }
}
