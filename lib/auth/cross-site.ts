import { bearerToken } from "./bearer";

// Cross-site request forgery: a write to the API must come from a page of Osprey itself. Browsers say where a
// request comes from (Origin, Sec-Fetch-Site); clients that are not browsers (curl, Firehose) send neither.
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
// Firehose posts from AWS with its own key and no cookie.
const EXEMPT = ["/api/v1/ingest/firehose"];

/** Why a request is refused as cross-site, or null when it may pass. */
export function crossSiteRefusal(req: Request): string | null {
  if (SAFE_METHODS.has(req.method)) return null;
  const url = new URL(req.url);
  if (EXEMPT.includes(url.pathname)) return null;
  // An API token request: a page on another site cannot add an Authorization header without a CORS preflight,
  // which Osprey never grants, and with a Bearer header the API ignores any cookie (lib/auth/session.ts).
  if (url.pathname.startsWith("/api/v1/") && bearerToken(req.headers) !== null) return null;
  if (req.headers.get("sec-fetch-site") === "cross-site") return "Cross-site requests may not change anything";
  const origin = req.headers.get("origin");
  if (origin === null) return null;
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host") ?? url.host;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return "The request's Origin is not a URL";
  }
  return originHost === host ? null : `Requests from ${origin} may not change anything here`;
}
