import type pg from "pg";
import { createAwsClients, destroyAwsClients } from "../../lib/aws/clients";
import { discoverApis, discoverLambdaFunctions, discoverQueues, discoverTables, type DiscoveredResource } from "../../lib/aws/discovery";
import { describeAwsError } from "../../lib/aws/errors";
import type { AccountRow } from "../../lib/db/account-access";
import { toStorable } from "../../lib/ingest/text/storable";
import { syncResources, type ResourceKind, type ResourceSnapshot } from "../../lib/db/resources";

export interface DiscoverResult {
  counts: Record<string, number>;
  problems: string[];
}

/**
 * Discovers every resource kind of one account and region. A kind that fails (say, no
 * permission for DynamoDB) is reported and the others still land; its resources are left as
 * they were rather than marked deleted.
 */
export async function discoverAccountRegion(db: pg.Pool, account: AccountRow, region: string, kinds?: ResourceKind[]): Promise<DiscoverResult> {
  const clients = createAwsClients(account, region);
  const counts: Record<string, number> = {};
  const problems: string[] = [];
  const accountNo = account.awsAccountId ?? "000000000000";
  const sources: { kind: ResourceKind; fetch: () => Promise<ResourceSnapshot[]> }[] = [
    {
      kind: "lambda",
      fetch: async () =>
        (await discoverLambdaFunctions(clients)).map((f) => ({
          kind: "lambda" as const,
          arn: f.arn,
          name: f.functionName,
          tags: f.tags,
          config: f as unknown as Record<string, unknown>,
        })),
    },
    { kind: "sqs", fetch: async () => toSnapshots(await discoverQueues(clients, region, accountNo)) },
    { kind: "apigateway", fetch: async () => toSnapshots(await discoverApis(clients, region)) },
    { kind: "dynamodb", fetch: async () => toSnapshots(await discoverTables(clients)) },
  ];
  try {
    for (const source of sources) {
      if (kinds && !kinds.includes(source.kind)) continue;
      let seen: ResourceSnapshot[];
      try {
        seen = await source.fetch();
      } catch (err) {
        if (source.kind === "lambda") throw err;
        problems.push(`${source.kind}: ${describeAwsError(err)}`);
        continue;
      }
      // Tags and environment-free config still come from AWS: keep NUL and broken surrogates out of jsonb.
      const c = await syncResources(db, account.id, region, [source.kind], toStorable(seen));
      counts[`${source.kind}Seen`] = c.seen;
      counts[`${source.kind}Created`] = c.created;
      counts[`${source.kind}Changed`] = c.changed;
      counts[`${source.kind}Deleted`] = c.deleted;
    }
  } finally {
    destroyAwsClients(clients);
  }
  return { counts, problems };
}

function toSnapshots(rs: DiscoveredResource[]): ResourceSnapshot[] {
  return rs.map((r) => ({ kind: r.kind, arn: r.arn, name: r.name, config: r.config, tags: r.tags }));
}
