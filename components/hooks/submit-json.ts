import { ApiError, signInAgainOn401 } from "./fetch-json";

export interface FieldIssue {
  path: string;
  message: string;
}

/** A refused form: the API's message and, per field, what is wrong. */
export class FormError extends ApiError {
  constructor(
    message: string,
    status: number,
    readonly issues: FieldIssue[],
  ) {
    super(message, status);
  }
}

/** Sends a form's JSON; a refusal throws FormError with the API's field issues. */
export async function submitJson(url: string, method: "POST" | "PATCH" | "PUT", body: unknown) {
  const res = await fetch(url, { method, headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body) });
  signInAgainOn401(res);
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new FormError(json?.error?.message ?? `${res.status} ${res.statusText}`, res.status, json?.error?.issues ?? []);
  return json;
}

/** The first issue of a field (or of something inside it). */
export function fieldIssue(err: unknown, path: string): string | undefined {
  const issues = err instanceof FormError ? err.issues : [];
  return issues.find((i) => i.path === path || i.path.startsWith(`${path}.`))?.message;
}
