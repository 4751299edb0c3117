/** The token of an `Authorization: Bearer …` header; null without one. Any Bearer header counts, shaped right or not. */
export function bearerToken(headers: Headers): string | null {
  const m = /^Bearer(?:\s+(\S*))?\s*$/i.exec(headers.get("authorization") ?? "");
  return m ? (m[1] ?? "") : null;
}
