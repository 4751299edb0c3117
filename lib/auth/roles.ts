/** Roles from least to most: each may do everything the ones before it may. */
export const ROLES = ["viewer", "member", "admin", "owner"] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role => typeof value === "string" && (ROLES as readonly string[]).includes(value);

/** Whether `role` reaches `min`. */
export function hasRole(role: Role, min: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(min);
}

/** What each role adds, for the README, the users list and the UI. */
export const ROLE_GRANTS: Record<Role, string> = {
  viewer: "reads every page and API",
  member: "acknowledges, resolves and snoozes incidents, sets error-group states, mutes insights, saves and deletes saved log searches",
  admin: "AWS accounts, channels, alert policies, settings, the sandbox switch and drill, Firehose keys, the audit log",
  owner: "users and roles",
};
