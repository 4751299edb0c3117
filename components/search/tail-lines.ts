import type { Hit } from "./use-log-search";

/** Lines kept on screen: the oldest go first. */
export const TAIL_MAX_LINES = 1_000;

/** Appends the new lines (oldest first), skipping any already shown, keeping the newest TAIL_MAX_LINES. */
export function appendTail(shown: Hit[], incoming: Hit[], max = TAIL_MAX_LINES): Hit[] {
  if (!incoming.length) return shown;
  const have = new Set(shown.map((h) => h.eventId));
  const next = [...shown, ...incoming.filter((h) => !have.has(h.eventId))];
  return next.length > max ? next.slice(next.length - max) : next;
}
