import { describe, expect, it } from "vitest";
import { ACCESS_KEY_PARAMETER, buildPushTemplate, describePushTemplate, filterLogicalId, renderPushTemplate, type CfnResource } from "./push-setup";

const INPUT = {
  awsAccountId: "123456789012",
  region: "eu-west-1",
  publicUrl: "https://osprey.example.com/",
  accessKey: "ofk_7_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ",
  logGroups: ["/aws/lambda/checkout", "/aws/lambda/orders-api", "/aws/lambda/checkout"],
};

const ofType = (t: ReturnType<typeof buildPushTemplate>, type: string): [string, CfnResource][] => Object.entries(t.Resources).filter(([, r]) => r.Type === type);
const actions = (r: CfnResource) => (r.Properties.Policies as { PolicyDocument: { Statement: { Action: string[]; Resource: unknown[] }[] } }[]).flatMap((p) => p.PolicyDocument.Statement);

describe("buildPushTemplate", () => {
  it("has one subscription filter per distinct log group, all delivering to the stream through the logs role", () => {
    const t = buildPushTemplate(INPUT);
    const filters = ofType(t, "AWS::Logs::SubscriptionFilter");
    expect(filters.map(([, r]) => r.Properties.LogGroupName).sort()).toEqual(["/aws/lambda/checkout", "/aws/lambda/orders-api"]);
    for (const [, f] of filters) {
      expect(f.Properties.DestinationArn).toEqual({ "Fn::GetAtt": ["OspreyDeliveryStream", "Arn"] });
      expect(f.Properties.RoleArn).toEqual({ "Fn::GetAtt": ["OspreyLogsToFirehoseRole", "Arn"] });
      expect(f.Properties.FilterPattern).toBe("");
    }
  });

  it("points the stream's HTTP endpoint at Osprey's Firehose route with the account's key, and backs failures up to S3", () => {
    const t = buildPushTemplate(INPUT);
    const [[, stream]] = ofType(t, "AWS::KinesisFirehose::DeliveryStream");
    const d = stream.Properties.HttpEndpointDestinationConfiguration as Record<string, Record<string, unknown>>;
    expect(d.EndpointConfiguration.Url).toBe("https://osprey.example.com/api/v1/ingest/firehose");
    expect(d.EndpointConfiguration.AccessKey).toBe(INPUT.accessKey);
    expect(d.S3BackupMode).toBe("FailedDataOnly");
    expect(d.S3Configuration.BucketARN).toEqual({ "Fn::GetAtt": ["OspreyBackupBucket", "Arn"] });
    expect(t.Parameters).toEqual({});
  });

  it("asks for the key as a NoEcho parameter when it is not given", () => {
    const t = buildPushTemplate({ ...INPUT, accessKey: undefined });
    expect(t.Parameters[ACCESS_KEY_PARAMETER].NoEcho).toBe(true);
    const [[, stream]] = ofType(t, "AWS::KinesisFirehose::DeliveryStream");
    expect((stream.Properties.HttpEndpointDestinationConfiguration as Record<string, Record<string, unknown>>).EndpointConfiguration.AccessKey).toEqual({ Ref: ACCESS_KEY_PARAMETER });
    expect(renderPushTemplate(t, "json")).not.toContain("ofk_");
  });

  it("gives each role only what it needs, on its own resource", () => {
    const t = buildPushTemplate(INPUT);
    const logsRole = t.Resources.OspreyLogsToFirehoseRole;
    expect(actions(logsRole)).toEqual([{ Effect: "Allow", Action: ["firehose:PutRecord", "firehose:PutRecordBatch"], Resource: [{ "Fn::GetAtt": ["OspreyDeliveryStream", "Arn"] }] }]);
    const trust = (logsRole.Properties.AssumeRolePolicyDocument as { Statement: { Principal: unknown; Condition: unknown }[] }).Statement;
    expect(trust).toHaveLength(1);
    expect(trust[0].Principal).toEqual({ Service: "logs.amazonaws.com" });
    expect(JSON.stringify(trust[0].Condition)).toContain("aws:SourceArn");

    const fhRole = t.Resources.OspreyFirehoseRole;
    const statements = actions(fhRole);
    expect(statements.flatMap((s) => s.Action).every((a) => a.startsWith("s3:"))).toBe(true);
    expect(JSON.stringify(statements.flatMap((s) => s.Resource))).not.toContain('"*"');
    for (const r of [logsRole, fhRole]) expect(JSON.stringify(r)).not.toMatch(/"(\*|[a-z0-9]+:\*)"/);
  });

  it("refuses an endpoint Firehose cannot deliver to and an empty selection", () => {
    expect(() => buildPushTemplate({ ...INPUT, publicUrl: "http://localhost:3000" })).toThrow(/https/);
    expect(() => buildPushTemplate({ ...INPUT, logGroups: [] })).toThrow(/no log groups/);
  });

  it("renders YAML and JSON of the same template, and a dry-run line per resource", () => {
    const t = buildPushTemplate(INPUT);
    expect(JSON.parse(renderPushTemplate(t, "json"))).toEqual(t);
    const yaml = renderPushTemplate(t, "yaml");
    expect(yaml).toContain("AWS::Logs::SubscriptionFilter");
    expect(yaml).toContain("https://osprey.example.com/api/v1/ingest/firehose");
    const lines = describePushTemplate(t);
    expect(lines).toHaveLength(Object.keys(t.Resources).length);
    expect(lines.filter((l) => l.startsWith("put subscription filter"))).toHaveLength(2);
    expect(lines.join("\n")).not.toContain(INPUT.accessKey);
  });

  it("makes logical ids CloudFormation accepts, distinct for names that differ only in punctuation", () => {
    const a = filterLogicalId("/aws/lambda/my-fn");
    const b = filterLogicalId("/aws/lambda/my_fn");
    expect(a).toMatch(/^[A-Za-z0-9]{1,255}$/);
    expect(a).not.toBe(b);
  });
});
