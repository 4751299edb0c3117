const nf0 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const nf1 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

export const DASH = "–";

const finite = (n: number | null | undefined): n is number => n != null && Number.isFinite(n);

// Lambda runs at most 15 minutes: up to there a duration stays in seconds to the tenth, so a
// timeout at 60,000.92 ms reads "60.0 s" beside its billed 61,571 ms "61.6 s", never "1.0 min" twice.
const FIFTEEN_MINUTES = 15 * 60_000;

/** A measured duration (an invocation, a span, a latency): ms under a second, seconds to the tenth up to 15 min. */
export function formatMs(ms: number | null | undefined): string {
  if (!finite(ms)) return DASH;
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 10) return `${nf1.format(ms)} ms`;
  if (ms < 1000) return `${nf0.format(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms <= FIFTEEN_MINUTES) return `${(ms / 1000).toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 })} s`;
  const min = Math.floor(ms / 60_000);
  return `${nf0.format(min)} min ${((ms - min * 60_000) / 1000).toFixed(1)} s`;
}

/**
 * An elapsed time (a lag, an incident, "… ago"): whole seconds up to an hour, so 83 s reads
 * "1 min 23 s" and not "1m"; then hours and minutes, then days.
 */
export function formatDuration(ms: number | null | undefined): string {
  if (!finite(ms)) return DASH;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.round(h / 24)} d`;
}

/** Memory always in MB, as Lambda configures it: "1,024 MB" beside "3,008 MB", never "1 GB". */
export function formatMb(mb: number | null | undefined): string {
  if (!finite(mb)) return DASH;
  return `${nf0.format(mb)} MB`;
}

/** Used against configured memory in the same style: "512 / 1,024 MB". */
export function formatMbOf(used: number | null | undefined, size: number | null | undefined): string {
  return `${finite(used) ? nf0.format(used) : DASH} / ${formatMb(size)}`;
}
