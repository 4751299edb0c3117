import { randomBytes } from "node:crypto";
import type { Role } from "@/lib/auth/roles";
import type { UserView } from "@/lib/auth/users";

export interface TestSession {
  user: UserView;
  password: string;
  /** The Cookie header a browser would send: better-auth's signed session cookie. */
  cookie: string;
}

/** The name=value pairs of Set-Cookie headers, as a Cookie header. */
export function cookieHeader(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

/**
 * A real user with `role` in the test database (the handlers' pool) and a real session, signed in through
 * better-auth's own sign-in: the cookie is exactly what a browser would hold.
 */
export async function signIn(role: Role, email = `${role}-${randomBytes(4).toString("hex")}@osprey.test`): Promise<TestSession> {
  // Imported late: some test files point DATABASE_URL at their own database before the app's modules read it.
  const { auth } = await import("@/lib/auth/auth");
  const { createUser } = await import("@/lib/auth/users");
  const password = randomBytes(12).toString("base64url");
  const user = await createUser({ name: `Test ${role}`, email, password, role });
  const res = await auth().api.signInEmail({ body: { email, password }, asResponse: true });
  if (!res.ok) throw new Error(`test sign-in failed: ${res.status} ${await res.text()}`);
  return { user, password, cookie: cookieHeader(res) };
}

/** `new Request(url, init)` sent with the session's cookie. */
export function requestAs(session: TestSession): (url: string | URL, init?: RequestInit) => Request {
  return (url, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set("cookie", session.cookie);
    return new Request(url, { ...init, headers });
  };
}
