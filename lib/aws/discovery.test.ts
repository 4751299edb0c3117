import { CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  GetFunctionConcurrencyCommand,
  GetFunctionEventInvokeConfigCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  ListFunctionsCommand,
  ListFunctionUrlConfigsCommand,
  ListAliasesCommand,
  ListProvisionedConcurrencyConfigsCommand,
  ListTagsCommand,
  ListVersionsByFunctionCommand,
} from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import type { AwsClients } from "./clients";
import { allowsAnyone, discoverLambdaFunctions } from "./discovery";

const ARN = "arn:aws:lambda:us-east-1:123456789012:function:ingest";
const queue = (n: number) => `arn:aws:sqs:us-east-1:123456789012:q${n}`;

// Paginators insist on a real client instance: keep the client, answer its send.
function clientsAnswering(answer: (command: object) => unknown): AwsClients {
  const credentials = { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "example" };
  const lambda = new LambdaClient({ region: "us-east-1", credentials });
  const logs = new CloudWatchLogsClient({ region: "us-east-1", credentials });
  const send = async (command: object) => answer(command);
  Object.assign(lambda, { send });
  Object.assign(logs, { send });
  return { lambda, logs } as unknown as AwsClients;
}

describe("discoverLambdaFunctions", () => {
  it("reads every page of event source mappings and provisioned concurrency configs", async () => {
    const calls: string[] = [];
    const clients = clientsAnswering((command) => {
      const input = (command as { input: Record<string, unknown> }).input;
      calls.push(`${command.constructor.name} ${String(input.Marker ?? "")}`.trim());
      if (command instanceof ListFunctionsCommand) return { Functions: [{ FunctionName: "ingest", FunctionArn: ARN }] };
      if (command instanceof ListTagsCommand) return { Tags: {} };
      if (command instanceof GetFunctionConcurrencyCommand) return {};
      if (command instanceof GetFunctionEventInvokeConfigCommand) throw Object.assign(new Error("none"), { name: "ResourceNotFoundException" });
      if (command instanceof ListEventSourceMappingsCommand) {
        return input.Marker === undefined
          ? { EventSourceMappings: [1, 2].map((n) => ({ EventSourceArn: queue(n), State: "Enabled" })), NextMarker: "p2" }
          : { EventSourceMappings: [{ EventSourceArn: queue(3), State: "Enabled" }] };
      }
      if (command instanceof ListProvisionedConcurrencyConfigsCommand) {
        return input.Marker === undefined
          ? { ProvisionedConcurrencyConfigs: [{ FunctionArn: `${ARN}:blue`, AllocatedProvisionedConcurrentExecutions: 2 }], NextMarker: "p2" }
          : { ProvisionedConcurrencyConfigs: [{ FunctionArn: `${ARN}:green`, AllocatedProvisionedConcurrentExecutions: 3 }] };
      }
      if (command instanceof DescribeLogGroupsCommand) return { logGroups: [{ logGroupName: "/aws/lambda/ingest", retentionInDays: 14 }] };
      if (command instanceof ListFunctionUrlConfigsCommand) return { FunctionUrlConfigs: [] };
      if (command instanceof ListVersionsByFunctionCommand) {
        return input.Marker === undefined
          ? { Versions: [{ Version: "$LATEST", CodeSha256: "c" }, { Version: "1", CodeSha256: "a", LastModified: "2026-12-01T10:00:00.000+0000" }], NextMarker: "p2" }
          : { Versions: [{ Version: "2", CodeSha256: "b", LastModified: "2026-12-03T10:00:00.000+0000" }] };
      }
      if (command instanceof ListAliasesCommand) return { Aliases: [{ Name: "live", FunctionVersion: "2" }] };
      throw new Error(`unexpected ${command.constructor.name}`);
    });

    const [fn] = await discoverLambdaFunctions(clients);
    expect(fn.eventSourceMappings.map((m) => m.eventSourceArn)).toEqual([queue(1), queue(2), queue(3)]);
    expect(fn.provisionedConcurrency).toBe(5);
    // Deploy tracking: every page of published versions ($LATEST left out) and the aliases.
    expect(fn.publishedVersions).toEqual([
      { version: "1", codeSha256: "a", lastModified: "2026-12-01T10:00:00.000+0000", description: null },
      { version: "2", codeSha256: "b", lastModified: "2026-12-03T10:00:00.000+0000", description: null },
    ]);
    expect(fn.aliases).toEqual([{ name: "live", functionVersion: "2", additionalVersionWeights: {} }]);
    expect(calls).toEqual(
      expect.arrayContaining([
        "ListEventSourceMappingsCommand",
        "ListEventSourceMappingsCommand p2",
        "ListProvisionedConcurrencyConfigsCommand",
        "ListProvisionedConcurrencyConfigsCommand p2",
      ]),
    );
  });
});

describe("allowsAnyone", () => {
  it("is true for an Allow to every principal without a condition", () => {
    const policy = (statement: object) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
    expect(allowsAnyone(policy({ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage" }))).toBe(true);
    expect(allowsAnyone(policy({ Effect: "Allow", Principal: { AWS: ["*"] }, Action: "sqs:*" }))).toBe(true);
    expect(allowsAnyone(policy({ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:us-east-1:1:t" } } }))).toBe(false);
    expect(allowsAnyone(policy({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "sqs:*" }))).toBe(false);
    expect(allowsAnyone(policy({ Effect: "Deny", Principal: "*", Action: "sqs:*" }))).toBe(false);
    expect(allowsAnyone(undefined)).toBe(false);
    expect(allowsAnyone("not json")).toBe(false);
  });
});
