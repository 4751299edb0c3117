/** Which resources a policy watches: everything, an account, a region, a tag (key=value), or a list. Pure. */

export const SCOPE_KINDS = ["all", "account", "region", "tag", "resources"] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

export interface PolicyScope {
  scopeKind: ScopeKind;
  accountId: number | null;
  region: string | null;
  tagKey: string | null;
  tagValue: string | null;
  resourceIds: readonly number[];
}

export interface ScopedResource {
  id: number;
  accountId: number;
  region: string;
  tags: Record<string, unknown>;
}

export function inScope(s: PolicyScope, r: ScopedResource): boolean {
  switch (s.scopeKind) {
    case "all":
      return true;
    case "account":
      return r.accountId === s.accountId;
    case "region":
      // A region scope may name an account too ("prod, eu-west-1"), or every account's region.
      return r.region === s.region && (s.accountId === null || r.accountId === s.accountId);
    case "tag":
      return s.tagKey !== null && Object.prototype.hasOwnProperty.call(r.tags, s.tagKey) && String(r.tags[s.tagKey]) === (s.tagValue ?? "");
    case "resources":
      return s.resourceIds.includes(r.id);
  }
}
