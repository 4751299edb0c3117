import { z } from "zod";
import { csv, Id, QueryInt } from "./common";
import { InsightService, Pillar, Severity } from "./insights";

export const LensQuestion = z.enum(["SEC1", "SEC2", "SEC3", "OPS1", "OPS2", "REL1", "REL2", "COST1", "PERF1"]);
export const CheckStatus = z.enum(["pass", "fail", "not_checked"]);

export const ReviewQuery = z.object({
  account: csv(Id).optional().meta({ description: "Account ids, comma-separated; all when absent" }),
  region: csv(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/)).optional().meta({ description: "Regions, comma-separated; all when absent" }),
  days: QueryInt(1, 365).default(90).meta({ description: "How many days of score history" }),
});
export type ReviewQuery = z.infer<typeof ReviewQuery>;

export const ReviewCheckView = z.object({
  ruleId: z.string(),
  title: z.string(),
  service: InsightService,
  status: CheckStatus,
  resourcesChecked: z.number().meta({ description: "Resources of the check's service Osprey looked at: those holding the data the check judges (metrics, logs, traces) in the last 24 h" }),
  findings: z.array(
    z.object({
      resourceArn: z.string(),
      resourceName: z.string(),
      severity: Severity,
      evidence: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
      recommendation: z.string(),
    }),
  ),
  missingActions: z
    .array(z.object({ action: z.string(), denied: z.boolean(), resources: z.array(z.string()), message: z.string() }))
    .meta({ description: "IAM actions the check needs whose calls failed; granting them lets Osprey run it" }),
  notCheckedReason: z
    .string()
    .nullable()
    .meta({ description: 'Why the check did not run: a failed call, nothing of its service discovered, or no data it judges ("no CloudWatch metrics for these queues in the last 24 h"); null when it ran' }),
  toChange: z.string().nullable().meta({ description: "What to change: the first finding's recommendation, or what to grant" }),
});

export const ReviewResponse = z.object({
  pillars: z.array(
    z.object({
      pillar: Pillar,
      title: z.string(),
      score: z.number().nullable().meta({ description: "Passed checks over checks run, 0..100; null when none ran" }),
      passed: z.number(),
      failed: z.number(),
      notChecked: z.number(),
      history: z.array(z.object({ day: z.string(), score: z.number().nullable() })).meta({ description: "One point per day with a snapshot, oldest first" }),
      questions: z.array(z.object({ id: LensQuestion, title: z.string(), checks: z.array(ReviewCheckView) })),
    }),
  ),
});
export type ReviewResponse = z.infer<typeof ReviewResponse>;
