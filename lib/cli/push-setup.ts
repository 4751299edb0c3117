import { DescribeLogGroupsCommand, DescribeSubscriptionFiltersCommand, PutSubscriptionFilterCommand } from "@aws-sdk/client-cloudwatch-logs";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { createAwsClients, destroyAwsClients, type AwsClients } from "../aws/clients";
import { buildPushTemplate, describePushTemplate, FILTER_NAME, renderPushTemplate, streamArn, type PushSetupInput } from "../aws/push-setup";
import { loadAccounts, type AccountRow } from "../db/account-access";
import { rotateFirehoseKey } from "../db/accounts";
import { CLI_ACTOR } from "../db/audit";
import { closeDb, pool } from "../db/prisma";
import { listLambdaTargets } from "../db/resources";
import { env } from "../env";
import { parseCliArgs } from "./args";
import { CliError } from "./main";

const USAGE = `usage: osprey push-setup --account NAME|ID [--region R] [--functions a,b | --all] [--stream NAME] [--buffer-seconds N]
                          [--rotate-key] [--cloudformation [--format yaml|json] | --apply [--destination-arn ARN --role-arn ARN]]

  Sends an account's Lambda logs to Osprey within seconds: a Firehose delivery stream to OSPREY_PUBLIC_URL${"/api/v1/ingest/firehose"},
  the roles it needs, and a subscription filter per log group (default: the functions Osprey monitors in the region).
  Dry run by default: prints what it would create. --cloudformation prints the template (for read-only accounts);
  --apply puts the subscription filters through the AWS SDK. --rotate-key issues the account a new Firehose key
  (the old one stops working) and writes it into the stream; without it the template asks for the key.`;

const out = (line: string) => process.stdout.write(`${line}\n`);
const note = (line: string) => process.stderr.write(`${line}\n`);

function findAccount(accounts: AccountRow[], wanted: string): AccountRow {
  const a = /^[0-9]+$/.test(wanted) ? accounts.find((x) => String(x.id) === wanted || x.awsAccountId === wanted) : accounts.find((x) => x.name === wanted);
  if (!a) throw new CliError(`no account "${wanted}" (osprey accounts list)`, 1);
  return a;
}

async function lambdaLogGroups(clients: AwsClients): Promise<string[]> {
  const groups: string[] = [];
  let nextToken: string | undefined;
  do {
    const r = await clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/aws/lambda/", nextToken }));
    for (const g of r.logGroups ?? []) if (g.logGroupName) groups.push(g.logGroupName);
    nextToken = r.nextToken;
  } while (nextToken);
  return groups;
}

const isAccessDenied = (err: unknown) => /AccessDenied|UnauthorizedOperation|not authorized/i.test(`${(err as Error).name} ${(err as Error).message}`);

/** `osprey push-setup`: prints (dry run), prints as CloudFormation, or applies the push pipeline of an account. */
export async function pushSetupCommand(args: string[]): Promise<number> {
  const { values } = parseCliArgs(args, {
    account: { type: "string" },
    region: { type: "string" },
    functions: { type: "string" },
    all: { type: "boolean", default: false },
    stream: { type: "string" },
    "buffer-seconds": { type: "string" },
    "rotate-key": { type: "boolean", default: false },
    cloudformation: { type: "boolean", default: false },
    format: { type: "string", default: "yaml" },
    apply: { type: "boolean", default: false },
    "destination-arn": { type: "string" },
    "role-arn": { type: "string" },
    help: { type: "boolean", default: false },
  });
  if (values.help || !values.account) throw new CliError(USAGE, 2);
  if (values.functions && values.all) throw new CliError("give either --functions or --all, not both", 2);
  if (values.cloudformation && values.apply) throw new CliError("give either --cloudformation or --apply, not both", 2);
  if (values.format !== "yaml" && values.format !== "json") throw new CliError("--format is yaml or json", 2);
  if (Boolean(values["destination-arn"]) !== Boolean(values["role-arn"])) throw new CliError("--destination-arn and --role-arn go together", 2);
  const bufferSeconds = values["buffer-seconds"] === undefined ? undefined : Number(values["buffer-seconds"]);
  if (bufferSeconds !== undefined && !(Number.isInteger(bufferSeconds) && bufferSeconds >= 0 && bufferSeconds <= 900)) throw new CliError("--buffer-seconds is 0 to 900", 2);
  const publicUrl = env().OSPREY_PUBLIC_URL;
  if (!publicUrl) throw new CliError("set OSPREY_PUBLIC_URL to the https address Firehose can reach Osprey at", 2);

  let clients: AwsClients | undefined;
  try {
    const account = findAccount(await loadAccounts(pool()), values.account);
    const region = values.region ?? account.regions[0];
    if (!region || !account.regions.includes(region)) throw new CliError(`the account "${account.name}" is not monitored in ${region ?? "any region"} (its regions: ${account.regions.join(", ")})`, 2);
    clients = createAwsClients(account, region, { maxAttempts: 3 });

    let logGroups: string[];
    if (values.all) logGroups = await lambdaLogGroups(clients);
    else {
      const targets = await listLambdaTargets(pool(), account.id, region);
      if (values.functions) {
        const wanted = values.functions.split(",").map((f) => f.trim()).filter(Boolean);
        const unknown = wanted.filter((w) => !targets.some((t) => t.name === w));
        if (unknown.length) throw new CliError(`no monitored function ${unknown.join(", ")} in ${account.name} ${region} (discovery lists functions; --all subscribes every Lambda log group)`, 1);
        logGroups = targets.filter((t) => wanted.includes(t.name)).map((t) => t.logGroup);
      } else logGroups = targets.map((t) => t.logGroup);
    }
    if (!logGroups.length) throw new CliError(`no log groups to subscribe in ${account.name} ${region}`, 1);
    const awsAccountId = account.awsAccountId ?? (await clients.sts.send(new GetCallerIdentityCommand({}))).Account;
    if (!awsAccountId) throw new CliError("cannot tell the AWS account id of this account", 1);

    const accessKey = values["rotate-key"] ? (await rotateFirehoseKey(account.id, CLI_ACTOR))?.key : undefined;
    const input: PushSetupInput = { awsAccountId, region, publicUrl, accessKey, logGroups, streamName: values.stream, bufferSeconds };
    let template;
    try {
      template = buildPushTemplate(input);
    } catch (err) {
      throw new CliError((err as Error).message, 2);
    }
    if (accessKey) note(`issued ${account.name} a new Firehose key (the previous one stops working); it is in the template below, keep the output private`);

    if (values.cloudformation) {
      process.stdout.write(renderPushTemplate(template, values.format));
      return 0;
    }
    if (!values.apply) {
      out(`dry run for ${account.name} (${awsAccountId}) in ${region}: nothing is changed. It would:`);
      for (const line of describePushTemplate(template)) out(`  - ${line}`);
      if (!accessKey) out(`The stream needs the account's Firehose key: pass it as the template's parameter, or add --rotate-key to issue a new one.`);
      out(`Apply: --apply (subscription filters through the AWS SDK), or --cloudformation for a template to deploy (read-only access).`);
      return 0;
    }

    const destinationArn = values["destination-arn"];
    const roleArn = values["role-arn"];
    if (!destinationArn || !roleArn) {
      // Osprey ships the CloudWatch Logs client but not the Firehose, IAM or S3 ones: those resources come from the template.
      note(
        `Osprey cannot create the Firehose stream, its bucket and the IAM roles itself (its AWS SDK has no Firehose, IAM or S3 client): ` +
          `deploy this template (aws cloudformation deploy --template-file osprey-push.yaml --stack-name osprey-push --capabilities CAPABILITY_IAM${accessKey ? "" : " --parameter-overrides OspreyFirehoseAccessKey=<key>"}). ` +
          `It puts the subscription filters too; or deploy it without them and run --apply --destination-arn ${streamArn(input)} --role-arn <LogsRoleArn output>.`,
      );
      process.stdout.write(renderPushTemplate(template, values.format));
      return 0;
    }
    let done = 0;
    for (const logGroupName of [...new Set(logGroups)].sort()) {
      try {
        await clients.logs.send(new PutSubscriptionFilterCommand({ logGroupName, filterName: FILTER_NAME, filterPattern: "", destinationArn, roleArn }));
      } catch (err) {
        if (!isAccessDenied(err)) throw new CliError(`putting the subscription filter on ${logGroupName} failed: ${(err as Error).name}: ${(err as Error).message}`, 1);
        note(`${account.name} may not put subscription filters (${(err as Error).name}): a read-only account applies this CloudFormation template instead`);
        process.stdout.write(renderPushTemplate(template, values.format));
        return 3;
      }
      const check = await clients.logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName, filterNamePrefix: FILTER_NAME }));
      if (!check.subscriptionFilters?.some((f) => f.filterName === FILTER_NAME && f.destinationArn === destinationArn)) throw new CliError(`the subscription filter on ${logGroupName} did not stick`, 1);
      out(`subscribed ${logGroupName} → ${destinationArn}`);
      done++;
    }
    out(`${done} log group(s) of ${account.name} in ${region} now deliver to the stream.`);
    return 0;
  } finally {
    if (clients) destroyAwsClients(clients);
    await closeDb();
  }
}
