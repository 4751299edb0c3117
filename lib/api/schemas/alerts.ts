import { z } from "zod";
import { CONDITION_KINDS, CONDITIONS } from "@/lib/analysis/alerts/evaluate";
import { ALERT_SEVERITIES } from "@/lib/analysis/alerts/notice";
import { SCOPE_KINDS } from "@/lib/analysis/alerts/scope";
import { Id, INT4_MAX } from "./common";

const rowId = z.number().int().min(1).max(INT4_MAX);
const minutes = (max: number) => z.number().int().min(1).max(max);

const PolicyFields = z.object({
  name: z.string().trim().min(1).max(200),
  enabled: z.boolean(),
  conditionKind: z.enum(CONDITION_KINDS).meta({
    description:
      "What the policy watches (README, \"Alert conditions\"). Thresholds by kind: rates (error_rate, cold_start_rate, api_5xx_rate) are shares 0..1; " +
      "p95_timeout_pct and concurrency_pct percentages (0..100, above 100 allowed); durations, iterator_age and api_latency_p99 ms; sqs_oldest_age seconds; " +
      "cost_per_hour USD; new_error_group and regressed_error_group a number of groups (at least 1); insight_opened the lowest insight severity that fires: " +
      "0 info, 1 warning, 2 critical; no_invocations and ingest_stale fire after windowMinutes of silence / staleness (threshold unused, 0); the others counts over the window. " +
      "ingest_stale watches accounts and regions: its scope is all, account or region.",
  }),
  threshold: z.number().min(0).max(1e12),
  criticalThreshold: z.number().min(0).max(1e12).nullable().meta({ description: "At or above it the incident is critical (a re-notification when it rises there)" }),
  windowMinutes: minutes(7 * 1440).meta({ description: "The sliding window; up to 1440 (a day), or 10080 (a week) for no_invocations and ingest_stale (a daily schedule needs more than a day)" }),
  minInvocations: z.number().int().min(0).max(INT4_MAX),
  severity: z.enum(ALERT_SEVERITIES),
  scopeKind: z.enum(SCOPE_KINDS),
  accountId: rowId.nullable(),
  region: z.string().trim().min(1).max(64).nullable(),
  tagKey: z.string().min(1).max(128).nullable(),
  tagValue: z.string().max(256).nullable(),
  resourceIds: z.array(rowId).max(1000),
  channelIds: z.array(rowId).max(100),
  resolveAfterMinutes: minutes(1440),
  flapMinutes: z.number().int().min(0).max(1440),
});

/** Each scope kind names what it needs: an account, a region, a tag key, resources. */
function scopeComplete(p: Partial<z.infer<typeof PolicyFields>>, ctx: z.RefinementCtx) {
  if (p.scopeKind === "account" && p.accountId == null) ctx.addIssue({ code: "custom", path: ["accountId"], message: "an account scope needs accountId" });
  if (p.scopeKind === "region" && !p.region) ctx.addIssue({ code: "custom", path: ["region"], message: "a region scope needs region" });
  if (p.scopeKind === "tag" && !p.tagKey) ctx.addIssue({ code: "custom", path: ["tagKey"], message: "a tag scope needs tagKey" });
  if (p.scopeKind === "resources" && !p.resourceIds?.length) ctx.addIssue({ code: "custom", path: ["resourceIds"], message: "a resources scope needs resourceIds" });
}

const SHARE_KINDS = new Set(["error_rate", "cold_start_rate", "api_5xx_rate"]);

/** Per-kind limits of the thresholds: shares 0..1, percentages up to 1000, severity ranks 0..2, group counts from 1. */
function conditionComplete(p: Partial<z.infer<typeof PolicyFields>>, ctx: z.RefinementCtx) {
  const kind = p.conditionKind;
  if (!kind) return;
  const check = (ok: (v: number) => boolean, message: string) => {
    if (p.threshold != null && !ok(p.threshold)) ctx.addIssue({ code: "custom", path: ["threshold"], message });
    if (p.criticalThreshold != null && !ok(p.criticalThreshold)) ctx.addIssue({ code: "custom", path: ["criticalThreshold"], message });
  };
  if (SHARE_KINDS.has(kind)) check((v) => v <= 1, `${kind} is a share: 0..1 (0.05 is 5 %)`);
  if (CONDITIONS[kind].unit === "pct") check((v) => v <= 1000, `${kind} is a percentage: 0..1000`);
  if (kind === "insight_opened") check((v) => Number.isInteger(v) && v <= 2, "insight_opened takes a severity rank: 0 info, 1 warning, 2 critical");
  if (kind === "new_error_group" || kind === "regressed_error_group") check((v) => Number.isInteger(v) && v >= 1, `${kind} counts error groups: a whole number from 1`);
  if (p.windowMinutes != null && p.windowMinutes > 1440 && kind !== "no_invocations" && kind !== "ingest_stale")
    ctx.addIssue({ code: "custom", path: ["windowMinutes"], message: `${kind} takes a window of at most 1440 minutes` });
  if (CONDITIONS[kind].appliesTo === "account_region" && (p.scopeKind === "tag" || p.scopeKind === "resources"))
    ctx.addIssue({ code: "custom", path: ["scopeKind"], message: `${kind} watches accounts and regions: scope all, account or region` });
}

export const PolicyInput = PolicyFields.extend({
  enabled: PolicyFields.shape.enabled.default(true),
  criticalThreshold: PolicyFields.shape.criticalThreshold.default(null),
  windowMinutes: PolicyFields.shape.windowMinutes.default(10),
  minInvocations: PolicyFields.shape.minInvocations.default(10),
  severity: PolicyFields.shape.severity.default("warning"),
  scopeKind: PolicyFields.shape.scopeKind.default("all"),
  accountId: PolicyFields.shape.accountId.default(null),
  region: PolicyFields.shape.region.default(null),
  tagKey: PolicyFields.shape.tagKey.default(null),
  tagValue: PolicyFields.shape.tagValue.default(null),
  resourceIds: PolicyFields.shape.resourceIds.default([]),
  channelIds: PolicyFields.shape.channelIds.default([]),
  resolveAfterMinutes: PolicyFields.shape.resolveAfterMinutes.default(5),
  flapMinutes: PolicyFields.shape.flapMinutes.default(10),
})
  .strict()
  .superRefine((p, ctx) => {
    scopeComplete(p, ctx);
    conditionComplete(p, ctx);
  });
export type PolicyInput = z.infer<typeof PolicyInput>;

export const PolicyPatch = PolicyFields.partial().strict().meta({ description: "Fields to change" });
export type PolicyPatch = z.infer<typeof PolicyPatch>;

export const PolicyView = PolicyFields.extend({
  id: z.number(),
  isDefault: z.boolean(),
  openIncidents: z.number().meta({ description: "Incidents of the policy not resolved (open or acknowledged)" }),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PolicyView = z.infer<typeof PolicyView>;

export const INCIDENT_STATES = ["open", "acknowledged", "resolved"] as const;

export const IncidentsQuery = z.object({
  state: z.enum([...INCIDENT_STATES, "active"]).optional().meta({ description: "active: open or acknowledged (not resolved)" }),
  severity: z.enum(ALERT_SEVERITIES).optional(),
  resourceId: Id.optional(),
  policy: Id.optional().meta({ description: "Incidents of one alert policy" }),
});
export type IncidentsQuery = z.infer<typeof IncidentsQuery>;

export const IncidentEventView = z.object({ kind: z.string(), actor: z.string(), at: z.string(), detail: z.unknown().nullable() });

export const IncidentView = z.object({
  id: z.number(),
  policy: z.object({ id: z.number(), name: z.string(), conditionKind: z.string() }),
  resource: z.object({ id: z.number(), name: z.string() }).nullable(),
  subject: z.string().nullable().meta({ description: "For an incident with no resource (ingest_stale): what it is about, 'account:<id>/<region>'" }),
  account: z.object({ id: z.number(), name: z.string() }).nullable().meta({ description: "The resource's account, or the incident's own when it has no resource" }),
  region: z.string().nullable(),
  windowMinutes: z.number().meta({ description: "The policy's condition window" }),
  state: z.enum(INCIDENT_STATES),
  severity: z.enum(ALERT_SEVERITIES),
  value: z.number().nullable(),
  threshold: z.number(),
  flaps: z.number(),
  openedAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  snoozedUntil: z.string().nullable(),
  lastEvaluatedAt: z.string(),
});
export type IncidentView = z.infer<typeof IncidentView>;

export const IncidentDetail = IncidentView.extend({ timeline: z.array(IncidentEventView) });

// Who acts is the signed-in user (or the token's owner), recorded by the server: a body cannot name someone else.
export const IncidentActionBody = z.object({}).strict();
export const SnoozeBody = z.object({ minutes: minutes(7 * 1440) }).strict();
