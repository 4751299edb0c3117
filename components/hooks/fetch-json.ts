import { signInPath } from "@/lib/auth/next-path";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** A session that ended (expired, revoked, signed out elsewhere): back to the sign-in page, then here again. */
export function signInAgainOn401(res: Response): void {
  if (res.status === 401 && typeof window !== "undefined") window.location.assign(signInPath(window.location.pathname + window.location.search));
}

export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { ...init, headers: { accept: "application/json", ...(init?.body ? { "content-type": "application/json" } : {}), ...init?.headers } });
  if (res.status === 204) return undefined as T;
  signInAgainOn401(res);
  const body = await res.json().catch(() => null);
  if (!res.ok && !(url === "/api/health" && res.status === 503)) {
    throw new ApiError(body?.error?.message ?? `${res.status} ${res.statusText}`, res.status);
  }
  return body as T;
}
