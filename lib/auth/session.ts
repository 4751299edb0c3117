import { apiTokenHint } from "../crypto/api-token";
import { bearerToken } from "./bearer";
import { authenticateApiToken } from "../db/api-tokens";
import { auth } from "./auth";
import type { Principal } from "./principal";
import { isRole } from "./roles";

/** The signed-in user of a browser request (its session cookie), or null. A user whose role is unknown counts as nobody. */
export async function sessionPrincipalOf(headers: Headers): Promise<Principal | null> {
  const found = await auth().api.getSession({ headers, query: { disableRefresh: true } });
  if (!found) return null;
  const role = (found.user as { role?: unknown }).role;
  if (!isRole(role)) return null;
  return { kind: "session", userId: found.user.id, name: found.user.name, email: found.user.email, role, sessionId: found.session.id };
}

/**
 * Who makes an API request. With `Authorization: Bearer …` only the token counts (a cookie beside it is ignored):
 * a read token acts as a viewer, a write token with its user's role; a token that is not valid throws a 401
 * saying why. Without one, the session cookie.
 */
export async function principalOf(headers: Headers): Promise<Principal | null> {
  const token = bearerToken(headers);
  if (token === null) return sessionPrincipalOf(headers);
  const t = await authenticateApiToken(token);
  return { kind: "token", userId: t.userId, name: t.name, email: t.email, role: t.scope === "read" ? "viewer" : t.role, tokenId: t.tokenId, scope: t.scope, tokenHint: apiTokenHint(t.prefix) };
}
