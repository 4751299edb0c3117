import { getSessionCookie } from "better-auth/cookies";
import { NextResponse, type NextRequest } from "next/server";
import { COOKIE_PREFIX } from "@/lib/auth/cookie";
import { crossSiteRefusal } from "@/lib/auth/cross-site";
import { signInPath } from "@/lib/auth/next-path";

// Before any route: cross-site writes to the API are refused, and a page request without a session cookie
// goes to the sign-in page. Only an early, cheap check: the (app) layout and every API handler verify the session.
const PUBLIC_PAGES = ["/sign-in", "/setup", "/forgot-password", "/reset-password"];

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (pathname.startsWith("/api/")) {
    const refusal = crossSiteRefusal(request);
    return refusal ? NextResponse.json({ error: { code: "cross_site", message: refusal } }, { status: 403 }) : NextResponse.next();
  }
  if (PUBLIC_PAGES.some((p) => pathname === p || pathname.startsWith(`${p}/`))) return NextResponse.next();
  if (!getSessionCookie(request, { cookiePrefix: COOKIE_PREFIX })) return NextResponse.redirect(new URL(signInPath(pathname + search), request.url));
  // The layout reads where the user was going, for the redirect when the cookie turns out to be stale.
  const headers = new Headers(request.headers);
  headers.set("x-osprey-path", pathname + search);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // Everything but Next's own assets and files with an extension (icons, fonts).
  matcher: ["/((?!_next/static|_next/image|.*\\.[a-zA-Z0-9]+$).*)"],
};
