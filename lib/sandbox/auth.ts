export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

export type AuthResult = { ok: true; scope: CredentialScope } | { ok: false; reason: "missing" | "incomplete"; message: string };

const SCOPE = /^([^/]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request$/;

/**
 * Reads the SigV4 credential scope (from the Authorization header or a presigned query).
 * The sandbox accepts any key and does not verify signatures: it only needs region and service.
 */
export function readCredentialScope(authorization: string | undefined, query: URLSearchParams): AuthResult {
  if (!authorization) {
    const cred = query.get("X-Amz-Credential");
    if (cred && query.get("X-Amz-Signature")) return fromScope(cred);
    return { ok: false, reason: "missing", message: "Missing Authentication Token" };
  }
  if (!authorization.startsWith("AWS4-HMAC-SHA256 ")) {
    return { ok: false, reason: "incomplete", message: `Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=${authorization.split(" ")[0]}` };
  }
  const parts = Object.fromEntries(authorization.slice(17).split(",").map((p) => {
    const [k, ...v] = p.trim().split("=");
    return [k, v.join("=")];
  }));
  const missing = ["Credential", "SignedHeaders", "Signature"].filter((k) => !parts[k]);
  if (missing.length) {
    return { ok: false, reason: "incomplete", message: missing.map((k) => `Authorization header requires '${k}' parameter.`).join(" ") };
  }
  return fromScope(parts.Credential);
}

function fromScope(credential: string): AuthResult {
  const m = SCOPE.exec(credential);
  if (!m) return { ok: false, reason: "incomplete", message: `Credential should be scoped to a valid region. ` };
  return { ok: true, scope: { accessKeyId: m[1], date: m[2], region: m[3], service: m[4] } };
}
