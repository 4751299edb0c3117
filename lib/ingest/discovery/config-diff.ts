import { isDeepStrictEqual } from "node:util";

export interface ConfigChange {
  path: string;
  from: unknown;
  to: unknown;
}

// A change of these is no configuration change, so no new version and no mark on the charts:
// lastModified moves with any change already shown; DynamoDB refreshes itemCount and sizeBytes
// about every six hours; tags are metadata, kept current on the resource row anyway; roleWildcards is the
// role's IAM policy, edited apart from the function (a change of the role itself shows as "role").
const IGNORED = new Set(["lastModified", "itemCount", "sizeBytes", "tags", "roleWildcards"]);

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
