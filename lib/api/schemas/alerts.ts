import { z } from "zod";
import { CONDITION_KINDS } from "@/lib/analysis/alerts/evaluate";
import { ALERT_SEVERITIES } from "@/lib/analysis/alerts/notice";
import { SCOPE_KINDS } from "@/lib/analysis/alerts/scope";
import { Id, INT4_MAX } from "./common";

const rowId = z.number().int().min(1).max(INT4_MAX);
const minutes = (max: number) => z.number().int().min(1).max(max);

const PolicyFields = z.object({
  name: z.string().trim().min(1).max(200),
  enabled: z.boolean(),
  conditionKind: z.enum(CONDITION_KINDS).meta({ description: "Rates (error_rate, cold_start_rate) are shares 0..1; durations ms; cost_per_hour USD; the others counts over the window" }),
  threshold: z.number().min(0).max(1e12),
  criticalThreshold: z.number().min(0).max(1e12).nullable().meta({ description: "At or above it the incident is critical (a re-notification when it rises there)" }),
  windowMinutes: minutes(1440),
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
  .superRefine(scopeComplete);
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
  state: z.enum(INCIDENT_STATES).optional(),
  severity: z.enum(ALERT_SEVERITIES).optional(),
  resourceId: Id.optional(),
});
export type IncidentsQuery = z.infer<typeof IncidentsQuery>;

export const IncidentEventView = z.object({ kind: z.string(), actor: z.string(), at: z.string(), detail: z.unknown().nullable() });

export const IncidentView = z.object({
  id: z.number(),
  policy: z.object({ id: z.number(), name: z.string(), conditionKind: z.string() }),
  resource: z.object({ id: z.number(), name: z.string() }).nullable(),
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

const Actor = z.string().trim().min(1).max(100).meta({ description: "Who does it, as the timeline shows it" });
export const IncidentActionBody = z.object({ by: Actor }).strict();
export const SnoozeBody = z.object({ by: Actor, minutes: minutes(7 * 1440) }).strict();
