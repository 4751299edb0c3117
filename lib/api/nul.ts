// Postgres text cannot hold U+0000: a NUL anywhere in API input would otherwise come back from the
// database as a 500. Found here, it is refused with a 400 that names where it was.

/** The path of the first string (or key) holding a NUL character, or undefined. */
export function findNul(value: unknown, path = ""): string | undefined {
  if (typeof value === "string") return value.includes("\0") ? path || "(body)" : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findNul(value[i], join(path, String(i)));
      if (hit) return hit;
    }
    return undefined;
  }
  if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes("\0")) return join(path, k);
      const hit = findNul(v, join(path, k));
      if (hit) return hit;
    }
  }
  return undefined;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** Where a NUL is in the request's URL: its path or one of its query parameters (names included). */
export function findNulInUrl(url: string): string | undefined {
  const u = new URL(url);
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    path = u.pathname;
  }
  if (path.includes("\0")) return "path";
  for (const [k, v] of u.searchParams) if (k.includes("\0") || v.includes("\0")) return `query parameter ${k.replace(/\0/g, "\\0")}`;
  return undefined;
}
