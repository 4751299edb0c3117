/** The address a request came from, as the server in front of Osprey (Next's own, or a proxy) reports it. */
export function clientIp(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip")?.trim() || null;
  return forwarded ? forwarded.slice(0, 64) : null;
}
