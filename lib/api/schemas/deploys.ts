import { z } from "zod";
import { RangeMeta, RangeQuery } from "./common";

export const DeploysQuery = RangeQuery;

const Direction = z.enum(["worse", "better", "same"]);
const Window = z.object({ invocations: z.number(), errors: z.number(), p95Ms: z.number().nullable(), costUsd: z.number() });

export const DeployView = z.object({
  at: z.number().meta({ description: "When the new code went live (ms since the epoch): LastModified, else when discovery saw the new CodeSha256" }),
  fromSha: z.string().nullable(),
  toSha: z.string().nullable(),
  windowMs: z.number().meta({ description: "Length of each side compared: up to 24 h, cut at the neighbouring deploys and now" }),
  before: Window,
  after: Window,
  verdict: z.object({
    verdict: z.enum(["worse", "better", "no-change", "too-few-invocations"]).meta({
      description: "too-few-invocations under 100 on either side; error rate by a two-proportion z-test at 5 %; p95 and cost per invocation by a 20 % change",
    }),
    errorRate: z.object({ before: z.number(), after: z.number(), z: z.number(), direction: Direction }),
    p95: z.object({ beforeMs: z.number().nullable(), afterMs: z.number().nullable(), direction: Direction }),
    costPerInvocation: z.object({ beforeUsd: z.number(), afterUsd: z.number(), direction: Direction }),
    text: z.string(),
  }),
});
export type DeployView = z.infer<typeof DeployView>;

export const VersionView = z.object({
  version: z.string().meta({ description: "The executed version from the log stream name ([$LATEST], [12]); \"unknown\" without one" }),
  invocations: z.number(),
  failed: z.number().meta({ description: "Invocations that did not succeed" }),
  p95Ms: z.number().nullable(),
  costUsd: z.number(),
});

export const DeploysResponse = z.object({
  data: z.object({
    deploys: z.array(DeployView).meta({ description: "Code deploys in the range, newest first" }),
    versions: z.array(VersionView).meta({ description: "The range's invocations per executed version, busiest first" }),
  }),
  meta: RangeMeta,
});
export type DeploysData = z.infer<typeof DeploysResponse>["data"];
