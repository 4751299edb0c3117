"use client";

import { useUrlState } from "./use-url-state";

export const PRESETS = ["1h", "24h", "7d", "30d"] as const;
export type Preset = (typeof PRESETS)[number];
const PRESET_MS: Record<Preset, number> = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 };

export interface TimeRangeState {
  preset: Preset | null;
  from: string | null;
  to: string | null;
  /** Query-string fragment for the API, e.g. "range=24h". */
  query: string;
  /** Approximate span in ms, for tick formatting and chart domains. */
  spanMs: number;
  label: string;
}

export function readTimeRange(params: URLSearchParams, fallback: Preset = "24h"): TimeRangeState {
  const from = params.get("from");
  const to = params.get("to");
  if (from && to && Date.parse(from) < Date.parse(to)) {
    const q = new URLSearchParams({ from: new Date(from).toISOString(), to: new Date(to).toISOString() });
    return { preset: null, from, to, query: q.toString(), spanMs: Date.parse(to) - Date.parse(from), label: "Custom range" };
  }
  const raw = params.get("range");
  const preset = (PRESETS as readonly string[]).includes(raw ?? "") ? (raw as Preset) : fallback;
  return { preset, from: null, to: null, query: `range=${preset}`, spanMs: PRESET_MS[preset], label: `Last ${preset}` };
}

export function useTimeRange(fallback: Preset = "24h") {
  const [params, set] = useUrlState();
  const range = readTimeRange(params, fallback);
  return { range, params, set };
}
