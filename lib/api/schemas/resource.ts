import { z } from "zod";

export const ConfigChange = z.object({ path: z.string(), from: z.unknown(), to: z.unknown() });

export const ConfigVersion = z.object({
  id: z.number(),
  seenAt: z.string(),
  changes: z.array(ConfigChange).meta({ description: "Empty for the first version" }),
  config: z.record(z.string(), z.unknown()),
});

export const ResourceDetail = z.object({
  id: z.number(),
  name: z.string(),
  kind: z.string(),
  arn: z.string(),
  region: z.string(),
  accountId: z.number(),
  account: z.string(),
  config: z.record(z.string(), z.unknown()).meta({ description: "For Lambda: LambdaConfig (runtime, memorySizeMB, timeoutS, architecture, ...)" }),
  tags: z.record(z.string(), z.string()),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  deletedAt: z.string().nullable(),
  deleted: z.boolean(),
  versions: z.array(ConfigVersion).meta({ description: "Configuration history, newest first (at most 100)" }),
});
export type ResourceDetail = z.infer<typeof ResourceDetail>;

export const ResourceDetailResponse = z.object({ data: ResourceDetail });
