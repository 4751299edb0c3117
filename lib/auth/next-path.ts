/** Where to go after signing in: a path of this site only, never another origin. */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  if (next.startsWith("/sign-in") || next.startsWith("/setup") || next.startsWith("/forgot-password") || next.startsWith("/reset-password") || next.startsWith("/api/")) return "/";
  return next;
}

export function signInPath(next: string | null | undefined): string {
  const target = safeNext(next);
  return target === "/" ? "/sign-in" : `/sign-in?next=${encodeURIComponent(target)}`;
}
