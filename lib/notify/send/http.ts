import { classifyHttp, type SendOutcome } from "../policy";

export const SEND_TIMEOUT_MS = 10_000;

function describeFetchError(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return `no answer within ${SEND_TIMEOUT_MS / 1000} s`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return cause ? `${e.message}: ${cause}` : String(e?.message ?? err);
}

/** POSTs a body with a timeout and no redirects (a redirect could carry a signed body elsewhere), and classifies the answer. */
export async function postJson(url: string, body: string, headers: Record<string, string>, opts: { timeoutMs?: number; now?: () => number } = {}): Promise<SendOutcome> {
  const now = opts.now ?? Date.now;
  let res: Response;
  try {
    res = await fetch(url, { method: "POST", body, headers, redirect: "manual", signal: AbortSignal.timeout(opts.timeoutMs ?? SEND_TIMEOUT_MS) });
  } catch (err) {
    return { ok: false, permanent: false, error: describeFetchError(err) };
  }
  const text = await res.text().catch(() => "");
  if (res.status >= 300 && res.status < 400) return { ok: false, permanent: true, error: `HTTP ${res.status}: redirects are not followed` };
  return classifyHttp(res.status, text, res.headers.get("retry-after"), now());
}
