import { ROLES, type Role } from "./roles";

export interface SsoRoleRule {
  /** A value of the claim, compared exactly (an Okta group name, an Entra ID group object id or app role). */
  value: string;
  role: Role;
}

export interface SsoRoleMapping {
  /** The claim holding groups or roles; a dotted path reaches nested claims (Keycloak: realm_access.roles). */
  claim: string;
  rules: SsoRoleRule[];
  /** The role when no rule matches; null refuses the sign-in. */
  defaultRole: Role | null;
}

/** The claim's values as strings: a string, a list, or a space- or comma-separated string (as some IdPs send scopes). */
export function claimValues(profile: Record<string, unknown>, claim: string): string[] {
  let value: unknown = profile[claim];
  if (value === undefined && claim.includes(".")) {
    value = claim.split(".").reduce<unknown>((v, key) => (v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined), profile);
  }
  if (typeof value === "string") return value.split(/[\s,]+/).filter(Boolean);
  if (typeof value === "number" || typeof value === "boolean") return [String(value)];
  if (Array.isArray(value)) return value.filter((v) => typeof v === "string" || typeof v === "number").map(String);
  return [];
}

/** The role a profile gets: the highest role of the rules its claim values match, else the default role; null means refused. */
export function roleForProfile(profile: Record<string, unknown>, mapping: SsoRoleMapping): Role | null {
  const values = new Set(claimValues(profile, mapping.claim));
  const matched = mapping.rules.filter((r) => values.has(r.value)).map((r) => ROLES.indexOf(r.role));
  return matched.length > 0 ? ROLES[Math.max(...matched)] : mapping.defaultRole;
}
