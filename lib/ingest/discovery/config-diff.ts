import { isDeepStrictEqual } from "node:util";

export interface ConfigChange {
  path: string;
  from: unknown;
  to: unknown;
}

// Fields whose change is worth a mark on the charts; timestamps and tags churn without meaning.
const IGNORED = new Set(["lastModified"]);

// Key order does not count: a configuration read back from jsonb has its keys reordered.
function same(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(a ?? null, b ?? null);
}

/** Top-level fields that differ between two configurations, e.g. memorySizeMB 512 -> 1024. */
export function diffConfig(prev: Record<string, unknown>, next: Record<string, unknown>): ConfigChange[] {
  const keys = new Set([...Object.keys(prev), ...Object.keys(next)]);
  const changes: ConfigChange[] = [];
  for (const k of [...keys].sort()) {
    if (IGNORED.has(k)) continue;
    if (!same(prev[k], next[k])) changes.push({ path: k, from: prev[k] ?? null, to: next[k] ?? null });
  }
  return changes;
}
