import { DASH, formatDuration, formatMb, formatMs } from "@/lib/util/units";

export { DASH, formatDuration, formatMb, formatMbOf, formatMs } from "@/lib/util/units";

const nf0 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

export function formatCount(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return DASH;
  return Math.abs(n) >= 100_000 ? compact.format(n) : nf0.format(n);
}

export function formatCompact(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return DASH;
  return compact.format(n);
}

/** A ratio (0..1) as a percentage with precision that still shows small rates. */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio == null || !Number.isFinite(ratio)) return DASH;
  const p = ratio * 100;
  if (p === 0) return "0%";
  if (Math.abs(p) < 0.1) return "<0.1%";
  if (Math.abs(p) < 10) return `${p.toFixed(1)}%`;
  return `${nf0.format(p)}%`;
}

/** GB-seconds to three significant digits, so a 100 ms invocation at 128 MB reads 0.0125, not 0.000. */
export function formatGbSeconds(gbs: number | null | undefined): string {
  if (gbs == null || !Number.isFinite(gbs)) return DASH;
  if (gbs === 0) return "0 GB-s";
  if (Math.abs(gbs) >= 1000) return `${nf0.format(gbs)} GB-s`;
  return `${+gbs.toPrecision(3)} GB-s`;
}

/** Dollars with enough digits to tell small Lambda costs apart. */
export function formatUsd(usd: number | null | undefined): string {
  if (usd == null || !Number.isFinite(usd)) return DASH;
  const a = Math.abs(usd);
  if (a === 0) return "$0.00";
  // Two significant digits below a cent: $0.00042, not $0.0004 or $0.000.
  if (a < 0.01) return `${usd < 0 ? "-" : ""}$${a.toFixed(Math.min(12, 1 - Math.floor(Math.log10(a))))}`;
  if (a < 1) return `$${usd.toFixed(3)}`;
  if (a < 10_000) return `$${usd.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  return `$${compact.format(usd)}`;
}

/** A relative change as "+12%" / "−3.4%"; null when unknown. */
export function formatChange(change: number | null | undefined): string | null {
  if (change == null || !Number.isFinite(change)) return null;
  const p = change * 100;
  const sign = p > 0 ? "+" : p < 0 ? "−" : "±";
  const abs = Math.abs(p);
  return `${sign}${abs >= 100 ? nf0.format(abs) : abs.toFixed(1)}%`;
}

export function formatAgo(iso: string | number | null | undefined, now = Date.now()): string {
  if (iso == null) return "never";
  const t = typeof iso === "number" ? iso : Date.parse(iso);
  if (!Number.isFinite(t)) return DASH;
  const d = now - t;
  if (d < 5_000) return "just now";
  return `${formatDuration(d)} ago`;
}

const dateTime = new Intl.DateTimeFormat("en-GB", { year: "numeric", month: "short", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
const timeMs = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", fractionalSecondDigits: 3 });
const hm = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit" });
const dayMonth = new Intl.DateTimeFormat("en-GB", { day: "2-digit", month: "short" });
const dayMonthHm = new Intl.DateTimeFormat("en-GB", { day: "2-digit", month: "short", hour: "2-digit", minute: "2-digit" });

export function formatDateTime(v: string | number | null | undefined): string {
  if (v == null) return DASH;
  const t = typeof v === "number" ? v : Date.parse(v);
  return Number.isFinite(t) ? dateTime.format(t) : DASH;
}

/** A half-open range as the API resolved it (whole minutes): "13 Nov, 12:18 – 14 Nov, 12:18". */
export function formatRange(from: number, to: number): string {
  return `${dayMonthHm.format(from)} – ${dayMonthHm.format(to)}`;
}

export function formatTimeMs(v: string | number | null | undefined): string {
  if (v == null) return DASH;
  const t = typeof v === "number" ? v : Date.parse(v);
  return Number.isFinite(t) ? timeMs.format(t) : DASH;
}

/** An axis tick for a time axis spanning `spanMs`. */
export function formatTick(t: number, spanMs: number): string {
  if (spanMs <= 36 * 3_600_000) return hm.format(t);
  if (spanMs <= 8 * 86_400_000) return dayMonthHm.format(t);
  return dayMonth.format(t);
}

export function formatTooltipTime(t: number, periodMs: number): string {
  return periodMs >= 86_400_000 ? dayMonth.format(t) : dayMonthHm.format(t);
}

export type Unit = "count" | "ratio" | "ms" | "usd" | "mb";

export function formatUnit(v: number | null | undefined, unit: Unit): string {
  switch (unit) {
    case "ratio":
      return formatPercent(v);
    case "ms":
      return formatMs(v);
    case "usd":
      return formatUsd(v);
    case "mb":
      return formatMb(v);
    default:
      return formatCount(v);
  }
}

/** Short axis labels: no long decimals on a crowded axis. */
export function formatAxis(v: number, unit: Unit): string {
  switch (unit) {
    case "ratio":
      return `${+(v * 100).toFixed(v < 0.1 ? 1 : 0)}%`;
    case "ms":
      return v >= 1000 ? `${+(v / 1000).toFixed(1)}s` : `${Math.round(v)}ms`;
    case "usd":
      if (v === 0) return "$0";
      if (v < 0.01) return `$${+v.toPrecision(2)}`;
      return v < 10 ? `$${+v.toFixed(2)}` : `$${compact.format(v)}`;
    case "mb":
      return `${Math.round(v)}`;
    default:
      return compact.format(v);
  }
}
