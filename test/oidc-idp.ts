import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

/** A user of the test IdP: its claims, changeable between sign-ins (moving someone between groups). */
export interface IdpUser {
  email: string;
  email_verified: boolean;
  name: string;
  groups: string[];
}

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  users: Map<string, IdpUser>;
  close(): Promise<void>;
}

/**
 * A real OpenID Provider (the oidc-provider package) on 127.0.0.1 at a random port: discovery, authorization
 * with its development login and consent pages, token endpoint, ID tokens signed with its own keys, userinfo.
 */
export async function startTestIdp(redirectUri: string): Promise<TestIdp> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const users = new Map<string, IdpUser>();
  const clientId = "osprey";
  const clientSecret = "idp-client-secret-that-is-long-enough";
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], response_types: ["code"], grant_types: ["authorization_code"], token_endpoint_auth_method: "client_secret_post" }],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    scopes: ["openid", "email", "profile", "groups"],
    cookies: { keys: ["test-idp-cookie-key"] },
    pkce: { required: () => true },
    async findAccount(_ctx, sub) {
      const user = users.get(sub);
      if (!user) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...user }) };
    },
  });
  server.on("request", provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    users,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Cookies by name, as a browser keeps them for one site (paths ignored: tests talk to one app per jar). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split("=")[1]) < Date.now()));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

function formOf(html: string): { action: string; fields: URLSearchParams } {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no form on the IdP's page: ${html.slice(0, 300)}`);
  const fields = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) fields.set(m[1], m[2]);
  return { action: action.replace(/&amp;/g, "&"), fields };
}

/**
 * A browser at the IdP: follows redirects from `authorizeUrl`, signs in as `login` on the login page, grants
 * consent, and returns the URL the IdP finally sends the browser to (the app's redirect URI, with code or error).
 */
export async function completeIdpLogin(authorizeUrl: string, login: string, jar = new CookieJar()): Promise<string> {
  let url = authorizeUrl;
  const idpOrigin = new URL(authorizeUrl).origin;
  let init: RequestInit = {};
  for (let hop = 0; hop < 20; hop++) {
    const res = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string>), cookie: jar.header() } });
    jar.take(res);
    init = {};
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, url);
      if (next.origin !== idpOrigin) return next.href;
      url = next.href;
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`IdP answered ${res.status}: ${html.slice(0, 500)}`);
    const { action, fields } = formOf(html);
    if (fields.get("prompt") === "login") {
      fields.set("login", login);
      fields.set("password", "any");
    }
    url = new URL(action, url).href;
    init = { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: fields.toString() };
  }
  throw new Error("too many redirects at the IdP");
}
