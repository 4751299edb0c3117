import { principalOf } from "../auth/session";
import { principalFor, rememberPrincipal, type Principal } from "../auth/principal";
import { hasRole, type Role } from "../auth/roles";
import { AppError, nulError, toErrorResponse } from "./errors";
import { findNul, findNulInUrl } from "./nul";

export class UnauthenticatedError extends AppError {
  constructor() {
    super("Sign in first", 401, "unauthenticated");
  }
}
export class ForbiddenError extends AppError {
  constructor(min: Role) {
    super(`This needs the ${min} role or higher`, 403, "forbidden");
  }
}

/** The request's principal when it is a browser session; an API token is refused, so a leaked token cannot mint or revoke tokens. */
export function requireSession(req: Request, what: string): Principal {
  const principal = principalFor(req);
  if (principal?.kind !== "session") throw new AppError(`${what} needs a signed-in session, not an API token`, 403, "forbidden");
  return principal;
}

type Handler<C> = (req: Request, ctx: C) => Promise<Response>;

/**
 * Wraps a /api/v1 route handler: the request's principal (its session or API token) must hold at least `min`
 * (401 without one, 403 below it); a NUL in the path, its parameters or the query is refused; errors go
 * through the one mapper.
 */
export function handle<C>(min: Role, fn: Handler<C>): Handler<C> {
  return async (req, ctx) => {
    try {
      const principal = await principalOf(req.headers);
      if (!principal) throw new UnauthenticatedError();
      if (!hasRole(principal.role, min)) throw new ForbiddenError(min);
      rememberPrincipal(req, principal);
      const inUrl = findNulInUrl(req.url);
      if (inUrl) throw nulError(inUrl);
      const params = await (ctx as { params?: Promise<unknown> } | undefined)?.params;
      const inParams = findNul(params);
      if (inParams) throw nulError(`path parameter ${inParams}`);
      return await fn(req, ctx);
    } catch (err) {
      return toErrorResponse(err);
    }
  };
}
