import type { ApiTokenScope } from "../crypto/api-token";
import type { Role } from "./roles";

interface PrincipalUser {
  userId: string;
  name: string;
  email: string;
  /** What the request may do: the user's role, or for a read token, viewer. */
  role: Role;
}

/**
 * Who makes a request: a browser session or an API token, with the same user fields, so handlers and the
 * audit log need not tell them apart (only minting and revoking tokens asks for a session).
 */
export type Principal =
  | (PrincipalUser & { kind: "session"; sessionId: string })
  | (PrincipalUser & { kind: "token"; tokenId: number; scope: ApiTokenScope; tokenHint: string });

// The principal handle() resolved for a request, so code deeper down (the audit log) can name the actor.
const resolved = new WeakMap<Request, Principal>();

export function rememberPrincipal(req: Request, principal: Principal): void {
  resolved.set(req, principal);
}

export function principalFor(req: Request): Principal | undefined {
  return resolved.get(req);
}

/** How the incident timeline names who acted: the principal's display name, or its e-mail when it has none. */
export function actorNameOf(req: Request): string {
  const p = principalFor(req);
  if (!p) throw new Error("actorNameOf: the request has no principal (is the route wrapped by handle()?)");
  return p.name.trim() || p.email;
}
