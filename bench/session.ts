// The benchmarks sign in as a user of their own, as people do: with the setup link's token while the
// database has no user (OSPREY_SETUP_TOKEN for a server they start, or a token issued in the database),
// else with the bench owner's password.
import pg from "pg";
import { issueSetupToken } from "@/lib/auth/setup";

export const BENCH_OWNER = { name: "Bench Owner", email: "bench-owner@osprey.test", password: "bench-owner-password-1" };
export const BENCH_SETUP_TOKEN = "bench-setup-token-0123456789abcdef";

const cookieOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");

const post = (url: string, origin: string, body: unknown) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json", origin }, body: JSON.stringify(body) });

/** The Cookie header of a session of the bench owner on the Osprey at `base`. */
export async function benchSession(base: string, how: { databaseUrl?: string; setupToken?: string }): Promise<string> {
  const signedIn = await post(`${base}/api/auth/sign-in/email`, base, { email: BENCH_OWNER.email, password: BENCH_OWNER.password });
  if (signedIn.ok) return cookieOf(signedIn);
  let token = how.setupToken ?? null;
  if (!token && how.databaseUrl) {
    const db = new pg.Pool({ connectionString: how.databaseUrl, max: 1 });
    token = await issueSetupToken(db).finally(() => db.end());
  }
  if (!token) throw new Error(`cannot sign in as ${BENCH_OWNER.email}: add that user (bin/osprey users add --email ${BENCH_OWNER.email} --name Bench --role owner --password-stdin)`);
  const created = await post(`${base}/api/setup`, base, { token, ...BENCH_OWNER });
  if (created.status !== 201) throw new Error(`setting up the bench owner failed: HTTP ${created.status} ${await created.text()}`);
  return cookieOf(created);
}

/** The same session as a browser cookie, for Playwright contexts. */
export function browserCookies(cookie: string, base: string): { name: string; value: string; url: string }[] {
  return cookie.split("; ").map((pair) => {
    const i = pair.indexOf("=");
    return { name: pair.slice(0, i), value: pair.slice(i + 1), url: base };
  });
}
