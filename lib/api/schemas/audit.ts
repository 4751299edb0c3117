import { z } from "zod";
import { QueryInt } from "./common";

/** What the audit log records (lib/db/audit.ts writes them); here, without server code, as a client component reads it too. */
export const AUDIT_ACTIONS = [
  "account.added",
  "account.removed",
  "account.firehose_key_rotated",
  "channel.added",
  "channel.changed",
  "channel.removed",
  "channel.tested",
  "alert_policy.added",
  "alert_policy.changed",
  "alert_policy.removed",
  "settings.sandbox_changed",
  "settings.sso_changed",
  "secrets.key_rotated",
  "user.added",
  "user.removed",
  "user.role_changed",
  "user.password_reset",
  "user.password_link",
  "auth.signed_in",
  "auth.sign_in_failed",
  "api_token.created",
  "api_token.revoked",
  "auth.sso_signed_in",
  "auth.sso_refused",
] as const;
export const AUDIT_TARGET_KINDS = ["account", "channel", "alert_policy", "settings", "secrets", "user", "api_token"] as const;
export const AuditAction = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditAction>;
export const AuditTargetKind = z.enum(AUDIT_TARGET_KINDS);

export const AuditQuery = z.strictObject({
  action: AuditAction.optional(),
  targetKind: AuditTargetKind.optional(),
  targetId: z.string().trim().min(1).max(64).regex(/^[\w.-]+$/, "must be an id").optional(),
  before: QueryInt(1, Number.MAX_SAFE_INTEGER).optional().meta({ description: "Entries older than this id: the previous page's nextBefore" }),
  limit: QueryInt(1, 200).default(50),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditEventView = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.string().meta({ description: 'The signed-in user\'s email; "local (cli)" for the command line' }),
  action: z.string(),
  target: z.object({ kind: z.string(), id: z.string().nullable(), name: z.string().nullable() }),
  detail: z.unknown(),
  ip: z.string().nullable(),
});
export type AuditEventView = z.infer<typeof AuditEventView>;

export const AuditResponse = z.object({ data: z.array(AuditEventView), nextBefore: z.number().nullable() });
export type AuditResponse = z.infer<typeof AuditResponse>;

export const FirehoseKeyRotated = z.object({
  data: z.object({ key: z.string().meta({ description: "The new key, answered this once" }), hint: z.string(), createdAt: z.string() }),
});
