/**
 * Delivery decisions, no I/O: what a receiver's answer means, when to try again, and how a burst is
 * folded under a channel's rate limit.
 */

export const RETRY_WINDOW_MS = 24 * 3_600_000;
export const RATE_WINDOW_MS = 60_000;
const BACKOFF_BASE_MS = 30_000;
const BACKOFF_CAP_MS = 3_600_000;

export type SendOutcome = { ok: true; info: string } | { ok: false; permanent: boolean; error: string; retryAfterMs?: number };

/** HTTP answers: 2xx delivered; 408, 429 and 5xx worth another try (honouring Retry-After); any other 4xx will not get better. */
export function classifyHttp(status: number, body: string, retryAfter: string | null, now: number): SendOutcome {
  if (status >= 200 && status < 300) return { ok: true, info: `HTTP ${status}` };
  const error = `HTTP ${status}${body ? `: ${body.replace(/\s+/g, " ").trim().slice(0, 200)}` : ""}`;
  const transient = status === 408 || status === 429 || status >= 500;
  return { ok: false, permanent: !transient, error, retryAfterMs: transient ? parseRetryAfter(retryAfter, now) : undefined };
}

export function parseRetryAfter(v: string | null, now: number): number | undefined {
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** Exponential backoff with jitter: 30 s, 1 min, 2 min … capped at an hour, each drawn from its upper half. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export type NextStep = { status: "sent" } | { status: "failed" } | { status: "pending"; nextAttemptAt: number };

/**
 * After an attempt: sent; failed for good (a permanent error, a channel test, or 24 hours of
 * retries used up); or pending until the next try, the last one no later than the 24-hour mark.
 */
export function nextStep(outcome: SendOutcome, row: { attempts: number; createdAt: number; retries: boolean }, now: number, random: () => number = Math.random): NextStep {
  if (outcome.ok) return { status: "sent" };
  if (outcome.permanent || !row.retries) return { status: "failed" };
  const deadline = row.createdAt + RETRY_WINDOW_MS;
  if (now >= deadline) return { status: "failed" };
  const wait = Math.max(backoffMs(row.attempts, random), outcome.retryAfterMs ?? 0);
  return { status: "pending", nextAttemptAt: Math.min(now + wait, deadline) };
}

export interface DueRow {
  id: number;
  /** attempts already made: a notice once handed to a receiver keeps its identity (and key), so it is never folded */
  attempts: number;
  /** a digest is never folded again */
  digest: boolean;
}

export interface ChannelPlan {
  /** send each as its own message, in this order */
  send: number[];
  /** fold into one digest message (two or more) */
  fold: number[];
  /** no room this minute: wait until `until` */
  wait: number[];
  until: number | null;
}

/**
 * Per channel, at most `limit` messages in any minute. Retries go first, each as itself; of the fresh
 * notices, as many as fit go singly, and when more are due than fit, the last free message of the
 * minute carries all the rest as one digest (a channel that cannot fold sends what fits and the rest
 * wait). With no message left this minute, everything waits until the oldest attempt leaves the window.
 */
export function planChannel(rows: readonly DueRow[], opts: { limit: number; recentAttempts: readonly number[]; now: number; folds: boolean }): ChannelPlan {
  const inWindow = opts.recentAttempts.filter((t) => t > opts.now - RATE_WINDOW_MS).sort((a, b) => a - b);
  let room = Math.max(0, opts.limit - inWindow.length);
  const until = (used: number) => {
    const all = [...inWindow, ...Array.from({ length: used }, () => opts.now)].sort((a, b) => a - b);
    const freeAt = all.length >= opts.limit ? all[all.length - opts.limit] : opts.now;
    return freeAt + RATE_WINDOW_MS;
  };
  const plan: ChannelPlan = { send: [], fold: [], wait: [], until: null };
  const retries = rows.filter((r) => r.attempts > 0 || r.digest);
  const fresh = rows.filter((r) => !(r.attempts > 0 || r.digest));
  for (const r of retries) {
    if (room > 0) {
      plan.send.push(r.id);
      room--;
    } else plan.wait.push(r.id);
  }
  if (fresh.length <= room) plan.send.push(...fresh.map((r) => r.id));
  else if (room > 0 && opts.folds) {
    const single = fresh.slice(0, room - 1);
    const rest = fresh.slice(room - 1);
    plan.send.push(...single.map((r) => r.id));
    if (rest.length === 1) plan.send.push(rest[0].id);
    else plan.fold.push(...rest.map((r) => r.id));
  } else {
    plan.send.push(...fresh.slice(0, room).map((r) => r.id));
    plan.wait.push(...fresh.slice(room).map((r) => r.id));
  }
  if (plan.wait.length) plan.until = until(plan.send.length + (plan.fold.length ? 1 : 0));
  return plan;
}

/** Receivers' error messages can echo a URL, its path or a key back: no stored or logged error keeps a secret, or a part of a secret URL. */
export function scrubSecrets(message: string, secrets: readonly string[]): string {
  const parts = secrets.flatMap((s) => [s, ...urlParts(s)]).filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  let out = message;
  for (const s of parts) out = out.split(s).join("[redacted]");
  return out.slice(0, 1000);
}

function urlParts(s: string): string[] {
  if (!/^https?:\/\//i.test(s)) return [];
  try {
    const u = new URL(s);
    return [`${u.pathname}${u.search}`, u.pathname, ...u.pathname.split("/").filter((seg) => seg.length >= 8), ...[...u.searchParams.values()].filter((v) => v.length >= 8)].filter((p) => p !== "/");
  } catch {
    return [];
  }
}
