import { z } from "zod";
import { RESOURCE_KINDS } from "../../resource-kinds";
import { csv, Id, QueryInt } from "./common";

export const Severity = z.enum(["critical", "warning", "info"]);
export const Pillar = z.enum(["operational_excellence", "security", "reliability", "performance", "cost"]);
export const InsightService = z.enum(RESOURCE_KINDS);
export const InsightStateParam = z.enum(["open", "acknowledged", "muted", "resolved"]);

export const InsightsQuery = z.object({
  severity: csv(Severity).optional(),
  pillar: csv(Pillar).optional(),
  service: csv(InsightService).optional(),
  state: csv(InsightStateParam).optional().meta({ description: "Default: open and acknowledged (muted ones only when asked for)" }),
  account: csv(Id).optional().meta({ description: "Account ids, comma-separated; all when absent" }),
  region: csv(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/)).optional().meta({ description: "Regions, comma-separated; all when absent" }),
  resource: Id.optional(),
  rule: z.string().max(100).optional().meta({ description: "Only this rule's findings" }),
  limit: QueryInt(1, 500).default(200),
});
export type InsightsQuery = z.infer<typeof InsightsQuery>;

export const InsightView = z.object({
  id: z.number(),
  ruleId: z.string(),
  title: z.string(),
  service: InsightService,
  severity: Severity,
  pillar: Pillar,
  state: InsightStateParam,
  resourceId: z.number().nullable(),
  resourceName: z.string().nullable(),
  resourceArn: z.string().nullable(),
  accountId: z.number().nullable(),
  region: z.string().nullable(),
  evidence: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  recommendation: z.string(),
  monthlySavingUsd: z.number().nullable(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  resolvedAt: z.string().nullable(),
  evidenceUrl: z.string().nullable().meta({ description: "The UI page that shows the evidence" }),
});
export type InsightView = z.infer<typeof InsightView>;

export const InsightsResponse = z.object({
  data: z.array(InsightView),
  counts: z.object({ critical: z.number(), warning: z.number(), info: z.number(), muted: z.number() }),
});
export type InsightsResponse = z.infer<typeof InsightsResponse>;

export const InsightPatch = z.object({ state: z.enum(["open", "acknowledged", "muted"]) });

export const ThresholdsPut = z.object({
  ruleId: z.string().min(1).max(100),
  thresholds: z.record(z.string().min(1).max(100), z.number().finite()),
});
