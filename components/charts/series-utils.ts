import type { Series, SeriesData } from "@/lib/api/schemas/series";
import type { ChartRow, Marker } from "./time-chart";

/** Joins several series on their timestamps into chart rows keyed by `keys` (one per series). */
export function mergeSeries(list: { series: Series[]; keys: string[] }[]): ChartRow[] {
  const rows = new Map<number, ChartRow>();
  for (const { series, keys } of list) {
    series.forEach((s, i) => {
      const key = keys[i] ?? s.metric;
      for (const p of s.points) {
        let row = rows.get(p.t);
        if (!row) rows.set(p.t, (row = { t: p.t } as ChartRow));
        row[key] = p.v;
      }
    });
  }
  return [...rows.values()].sort((a, b) => a.t - b.t);
}

const PATH_LABEL: Record<string, string> = {
  memorySizeMB: "memory",
  timeoutS: "timeout",
  architecture: "arch",
  runtime: "runtime",
  reservedConcurrency: "reserved concurrency",
  provisionedConcurrency: "provisioned concurrency",
  tracingMode: "tracing",
  ephemeralStorageMB: "ephemeral storage",
  snapStart: "SnapStart",
  handler: "handler",
  codeSizeBytes: "code size",
};

const show = (v: unknown) => (v === null || v === undefined ? "none" : typeof v === "object" ? "…" : String(v));

/** "memory 512 → 1024" markers for configuration changes. */
export function toMarkers(changes: SeriesData["changes"] | undefined): Marker[] {
  return (changes ?? []).map((c) => {
    // A new package hash is a code deploy, not only a configuration change: the marker says so first.
    const deploy = c.changes.some((x) => x.path === "codeSha256") ? ["code deploy"] : [];
    const config = c.changes
      .filter((x) => !["lastModified", "codeSha256", "version", "revisionId"].includes(x.path))
      .slice(0, 2)
      .map((x) => `${PATH_LABEL[x.path] ?? x.path} ${show(x.from)} → ${show(x.to)}`);
    return { t: c.t, label: [...deploy, ...config].join(", ") || "config changed" };
  });
}
