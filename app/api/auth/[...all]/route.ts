// /api/auth/* – better-auth: sign-in, sign-out, sessions, single sign-on (/sign-in/social, /callback/sso). Public; sign-in also passes the lockout (lib/auth/lockout.ts).
import { signInAuth } from "@/lib/auth/auth";
import { clearSignInFailures, lockedOutFor, recordSignInFailure } from "@/lib/auth/lockout";
import { clientIp } from "@/lib/auth/client-ip";
import { trackSsoSignIn } from "@/lib/auth/sso";
import { normalizeEmail } from "@/lib/auth/users";
import { SSO_PROVIDER_ID } from "@/lib/db/sso-config";
import { recordAudit } from "@/lib/db/audit";
import { pool } from "@/lib/db/prisma";

export const dynamic = "force-dynamic";

const SIGN_IN_PATH = "/api/auth/sign-in/email";
const SSO_CALLBACK_PATH = `/api/auth/callback/${SSO_PROVIDER_ID}`;

async function signIn(req: Request): Promise<Response> {
  const body = (await req
    .clone()
    .json()
    .catch(() => null)) as { email?: unknown } | null;
  const email = typeof body?.email === "string" ? body.email : "";
  const ip = clientIp(req.headers) ?? "unknown";
  const wait = email ? await lockedOutFor(ip, email) : null;
  if (wait !== null) {
    return Response.json(
      { code: "LOCKED_OUT", message: `Too many failed sign-ins: try again in ${Math.ceil(wait / 60)} minute${wait > 60 ? "s" : ""}`, retryAfter: wait },
      { status: 429, headers: { "Retry-After": String(wait) } },
    );
  }
  const res = await (await signInAuth()).handler(req);
  if (!email) return res;
  const actor = { name: normalizeEmail(email).slice(0, 320), ip: clientIp(req.headers) };
  if (res.status === 401) {
    await recordSignInFailure(ip, email);
    await recordAudit(pool(), actor, "auth.sign_in_failed", { kind: "user", name: actor.name });
  } else if (res.ok) {
    await clearSignInFailures(ip, email);
    await recordAudit(pool(), actor, "auth.signed_in", { kind: "user", name: actor.name });
  }
  return res;
}

/** The IdP's redirect back: signs in (the role from the claim mapping) or refuses, and says which in the audit log. */
async function ssoCallback(req: Request): Promise<Response> {
  const handler = (await signInAuth()).handler;
  const { result: res, sso } = await trackSsoSignIn(() => handler(req));
  const location = res.headers.get("location");
  const error = location ? new URL(location, req.url).searchParams.get("error") : null;
  const actor = { name: (sso.email ?? "unknown").slice(0, 320), ip: clientIp(req.headers) };
  if (sso.userId && sso.role && !error) {
    await recordAudit(pool(), actor, "auth.sso_signed_in", { kind: "user", id: sso.userId, name: actor.name }, { role: sso.role, previousRole: sso.from ?? null });
  } else if (error) {
    await recordAudit(pool(), actor, "auth.sso_refused", { kind: "user", name: actor.name }, { error, claimValues: sso.claimValues ?? null });
  }
  return res;
}

export async function GET(req: Request): Promise<Response> {
  if (new URL(req.url).pathname === SSO_CALLBACK_PATH) return ssoCallback(req);
  return (await signInAuth()).handler(req);
}

export async function POST(req: Request): Promise<Response> {
  const path = new URL(req.url).pathname;
  if (path === SIGN_IN_PATH) return signIn(req);
  if (path === SSO_CALLBACK_PATH) return ssoCallback(req);
  return (await signInAuth()).handler(req);
}
