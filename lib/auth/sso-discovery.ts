import type { SsoDiscoveryResult } from "../api/schemas/sso";

const TIMEOUT_MS = 10_000;

const str = (v: unknown): string | null => (typeof v === "string" && v ? v : null);
const strings = (v: unknown): string[] | null => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : null);

export const discoveryUrlOf = (issuer: string) => `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;

/** Fetches the issuer's discovery document and says what is wrong with it for sign-in, in words an admin can act on. */
export async function testDiscovery(issuer: string, fetcher: typeof fetch = fetch): Promise<SsoDiscoveryResult> {
  const discoveryUrl = discoveryUrlOf(issuer);
  const result: SsoDiscoveryResult = {
    ok: false,
    issuer,
    discoveryUrl,
    error: null,
    authorizationEndpoint: null,
    tokenEndpoint: null,
    userinfoEndpoint: null,
    jwksUri: null,
    scopesSupported: null,
    claimsSupported: null,
  };
  let doc: Record<string, unknown>;
  try {
    const res = await fetcher(discoveryUrl, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: "follow" });
    if (!res.ok) return { ...result, error: `${discoveryUrl} answered HTTP ${res.status}: is the issuer URL right?` };
    const body: unknown = await res.json().catch(() => null);
    if (!body || typeof body !== "object" || Array.isArray(body)) return { ...result, error: `${discoveryUrl} is not a JSON discovery document` };
    doc = body as Record<string, unknown>;
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    return { ...result, error: `Could not fetch ${discoveryUrl} (${cause === "TimeoutError" ? `no answer in ${TIMEOUT_MS / 1000} s` : cause})` };
  }
  const found = {
    authorizationEndpoint: str(doc.authorization_endpoint),
    tokenEndpoint: str(doc.token_endpoint),
    userinfoEndpoint: str(doc.userinfo_endpoint),
    jwksUri: str(doc.jwks_uri),
    scopesSupported: strings(doc.scopes_supported),
    claimsSupported: strings(doc.claims_supported),
  };
  const missing = (["authorization_endpoint", "token_endpoint", "jwks_uri"] as const).filter((k) => !str(doc[k]));
  const docIssuer = str(doc.issuer);
  let error: string | null = null;
  if (missing.length > 0) error = `The discovery document has no ${missing.join(", ")}`;
  else if (docIssuer?.replace(/\/+$/, "") !== issuer.replace(/\/+$/, "")) error = `The discovery document names the issuer ${docIssuer ?? "(none)"}, not ${issuer}: use exactly the IdP's issuer URL`;
  return { ...result, ...found, ok: error === null, error };
}
