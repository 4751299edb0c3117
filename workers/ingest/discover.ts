import type pg from "pg";
import { toIngestWarning, isCredentialsFailure, type IngestWarningInput } from "../../lib/aws/call-failure";
import { createAwsClients, destroyAwsClients } from "../../lib/aws/clients";
import { API_ROUTES_FEATURE, discoverApis, discoverLambdaFunctions, discoverQueues, discoverTables, DYNAMODB_BACKUPS_FEATURE, type DiscoveredResource, type OptionalCallFailure } from "../../lib/aws/discovery";
import { discoverDeliveryStreams, discoverRules, discoverStateMachines, discoverStreams, discoverTopics, type FailedExecutionInput } from "../../lib/aws/discovery-services";
import { describeAwsError } from "../../lib/aws/errors";
import type { AccountRow } from "../../lib/db/account-access";
import { knownFailedExecutions, storeFailedExecutions } from "../../lib/db/failed-executions";
import { recordIngestWarnings } from "../../lib/db/ingest-warnings";
import { carryForward, LAMBDA_FEATURES, type LambdaFeature } from "../../lib/ingest/discovery/carry-forward";
import { toStorable } from "../../lib/ingest/text/storable";
import { syncResources, type ResourceKind, type ResourceSnapshot } from "../../lib/db/resources";

export interface DiscoverResult {
  counts: Record<string, number>;
  problems: string[];
}

// The call that lists each kind: named in the warning when the listing itself fails.
const LIST_ACTIONS: Record<ResourceKind, string> = {
  lambda: "lambda:ListFunctions",
  sqs: "sqs:ListQueues",
  apigateway: "apigateway:GET",
  dynamodb: "dynamodb:ListTables",
  kinesis: "kinesis:ListStreams",
  firehose: "firehose:ListDeliveryStreams",
  stepfunctions: "states:ListStateMachines",
  sns: "sns:ListTopics",
  eventbridge: "events:ListRules",
};
const discoveryFeature = (kind: ResourceKind) => `discovery (${kind})`;
// The optional per-resource calls (lib/aws/discovery.ts, discovery-services.ts), cleared when they succeed again.
const DETAIL_FEATURES: Partial<Record<ResourceKind, string[]>> = {
  apigateway: [API_ROUTES_FEATURE],
  dynamodb: [DYNAMODB_BACKUPS_FEATURE],
  kinesis: ["tags (kinesis)"],
  stepfunctions: ["tags (stepfunctions)", "failed executions"],
  sns: ["subscriptions (sns)", "tags (sns)"],
  eventbridge: ["targets (eventbridge)", "tags (eventbridge)"],
};

/**
 * Discovers every resource kind of one account and region. Only unusable credentials fail the
 * region. A kind whose listing fails (say, no permission for DynamoDB) is recorded as a warning and
 * the others still land, its resources left as they were rather than marked deleted; an optional
 * per-function call that fails degrades that field of that function only, keeping what an earlier
 * pass stored. Warnings of calls that succeed again are cleared.
 */
/** `now` is when the pass saw what it stores (the configuration history's seen_at); tests on a sandbox clock pass theirs. */
export async function discoverAccountRegion(db: pg.Pool, account: AccountRow, region: string, kinds?: ResourceKind[], now = new Date()): Promise<DiscoverResult> {
  const clients = createAwsClients(account, region);
  const counts: Record<string, number> = {};
  const problems: string[] = [];
  const warnings: IngestWarningInput[] = [];
  const covered: string[] = [];
  const accountNo = account.awsAccountId ?? "000000000000";
  const lambdaFailures: OptionalCallFailure[] = [];
  // A queue or table whose detail call failed is kept as last seen (not marked deleted), with a warning of its own.
  const detailFailures: OptionalCallFailure<string>[] = [];
  const noteDetail = (f: OptionalCallFailure<string>) => {
    detailFailures.push(f);
    warnings.push(toIngestWarning(f.feature, f.resource, f.action, f.error));
    problems.push(`${f.resource}: ${describeAwsError(f.error)}`);
  };
  const keepFailed = async (kind: ResourceKind, seen: ResourceSnapshot[]) => {
    const failed = detailFailures.filter((f) => f.feature === discoveryFeature(kind)).map((f) => f.resource);
    return failed.length ? [...seen, ...(await storedSnapshots(db, account.id, region, kind, failed))] : seen;
  };
  const sources: { kind: ResourceKind; fetch: () => Promise<ResourceSnapshot[]> }[] = [
    {
      kind: "lambda",
      fetch: async () => {
        const fns = await discoverLambdaFunctions(clients, (f) => lambdaFailures.push(f));
        const stored = await storedConfigs(db, account.id, region, "lambda");
        const failedFor = (name: string) =>
          new Set(lambdaFailures.filter((f) => f.resource === name || (f.resource === "" && f.feature === "log retention")).map((f) => f.feature));
        return fns.map((fresh) => {
          const f = carryForward(fresh, stored.get(fresh.arn), failedFor(fresh.functionName) as Set<LambdaFeature>);
          return { kind: "lambda" as const, arn: f.arn, name: f.functionName, tags: f.tags, config: f as unknown as Record<string, unknown> };
        });
      },
    },
    { kind: "sqs", fetch: async () => keepFailed("sqs", toSnapshots(await discoverQueues(clients, region, accountNo, noteDetail))) },
    {
      kind: "apigateway",
      fetch: async () => {
        const apis = toSnapshots(await discoverApis(clients, region, noteDetail));
        // Routes that could not be read this time are the ones read last time, never "no routes".
        const stored = await storedConfigs(db, account.id, region, "apigateway");
        return apis.map((a) => (a.config.routes === null && stored.get(a.arn)?.routes ? { ...a, config: { ...a.config, routes: stored.get(a.arn)!.routes } } : a));
      },
    },
    { kind: "dynamodb", fetch: async () => keepFailed("dynamodb", toSnapshots(await discoverTables(clients, noteDetail))) },
    { kind: "kinesis", fetch: async () => keepFailed("kinesis", toSnapshots(await discoverStreams(clients, noteDetail))) },
    { kind: "firehose", fetch: async () => keepFailed("firehose", toSnapshots(await discoverDeliveryStreams(clients, noteDetail))) },
    {
      kind: "stepfunctions",
      fetch: async () => {
        const known = await knownFailedExecutions(db, account.id, region);
        const found = await discoverStateMachines(clients, (arn) => known.has(arn), noteDetail);
        failedExecutions = found.failedExecutions;
        return keepFailed("stepfunctions", toSnapshots(found.resources));
      },
    },
    { kind: "sns", fetch: async () => keepFailed("sns", toSnapshots(await discoverTopics(clients, noteDetail))) },
    { kind: "eventbridge", fetch: async () => toSnapshots(await discoverRules(clients, noteDetail)) },
  ];
  // Read with the state machines, stored once they are (the rows point at them).
  let failedExecutions = new Map<string, FailedExecutionInput[]>();
  try {
    for (const source of sources) {
      if (kinds && !kinds.includes(source.kind)) continue;
      covered.push(discoveryFeature(source.kind), ...(DETAIL_FEATURES[source.kind] ?? []));
      let seen: ResourceSnapshot[];
      try {
        seen = await source.fetch();
      } catch (err) {
        if (isCredentialsFailure(err)) throw err;
        problems.push(`${source.kind}: ${describeAwsError(err)}`);
        warnings.push(toIngestWarning(discoveryFeature(source.kind), "", LIST_ACTIONS[source.kind], err));
        continue;
      }
      if (source.kind === "lambda") {
        covered.push(...Object.keys(LAMBDA_FEATURES));
        for (const f of lambdaFailures) warnings.push(toIngestWarning(f.feature, f.resource, f.action, f.error));
        if (lambdaFailures.length) problems.push(`lambda: ${lambdaFailures.length} optional call(s) failed, first ${lambdaFailures[0].action}: ${describeAwsError(lambdaFailures[0].error)}`);
      }
      // Tags and config still come from AWS: keep NUL and broken surrogates out of jsonb.
      const c = await syncResources(db, account.id, region, [source.kind], toStorable(seen), now);
      counts[`${source.kind}Seen`] = c.seen;
      counts[`${source.kind}Created`] = c.created;
      counts[`${source.kind}Changed`] = c.changed;
      counts[`${source.kind}Deleted`] = c.deleted;
      if (source.kind === "stepfunctions") counts.failedExecutionsStored = await storeFailedExecutions(db, account.id, region, failedExecutions);
    }
  } finally {
    destroyAwsClients(clients);
  }
  await recordIngestWarnings(db, { accountId: account.id, region }, covered, warnings);
  return { counts, problems };
}

async function storedConfigs(db: pg.Pool, accountId: number, region: string, kind: ResourceKind): Promise<Map<string, Record<string, unknown>>> {
  const { rows } = await db.query<{ arn: string; config: Record<string, unknown> }>(
    `SELECT arn, config FROM resources WHERE account_id = $1 AND region = $2 AND kind = $3::"ResourceKind"`,
    [accountId, region, kind],
  );
  return new Map(rows.map((r) => [r.arn, r.config]));
}

async function storedSnapshots(db: pg.Pool, accountId: number, region: string, kind: ResourceKind, names: string[]): Promise<ResourceSnapshot[]> {
  const { rows } = await db.query<{ arn: string; name: string; config: Record<string, unknown>; tags: Record<string, string> }>(
    `SELECT arn, name, config, tags FROM resources WHERE account_id = $1 AND region = $2 AND kind = $3::"ResourceKind" AND name = ANY($4::text[]) AND deleted_at IS NULL`,
    [accountId, region, kind, names],
  );
  return rows.map((r) => ({ kind, arn: r.arn, name: r.name, config: r.config, tags: r.tags }));
}

function toSnapshots(rs: DiscoveredResource[]): ResourceSnapshot[] {
  return rs.map((r) => ({ kind: r.kind, arn: r.arn, name: r.name, config: r.config, tags: r.tags }));
}
