import { jsonRpc } from "../protocols/json-rpc";
import { AwsError } from "../protocols/types";
import { ACCOUNT_ID } from "../workload/catalog";
import { listRules, ruleArn, type RuleSpec } from "../workload/coverage";
import { jsonService } from "./json-service";
import { decodeToken, encodeToken, num, page, str } from "./service";

// EventBridge speaks awsJson1_1 with PascalCase members (client-eventbridge model).
const protocol = jsonRpc({ version: "1.1", targetPrefix: "AWSEvents" });
const invalidToken = () => new AwsError("ValidationException", "The NextToken provided is invalid.", 400);

function ruleOf(region: string, name: unknown, bus: unknown): RuleSpec {
  const busName = str(bus)?.split("/").pop() ?? "default";
  const r = listRules(region).find((x) => x.name === name && x.bus === busName);
  if (!r) throw new AwsError("ResourceNotFoundException", `Rule ${String(name)} does not exist on EventBus ${busName}.`, 400);
  return r;
}

function describe(r: RuleSpec) {
  return {
    Name: r.name,
    Arn: ruleArn(r),
    ...(r.pattern ? { EventPattern: JSON.stringify(r.pattern) } : {}),
    ...(r.schedule ? { ScheduleExpression: r.schedule } : {}),
    State: r.state,
    EventBusName: r.bus,
  };
}

function paged<T>(items: T[], input: Record<string, unknown>): { items: T[]; NextToken?: string } {
  const offset = input.NextToken !== undefined ? decodeToken<{ o: number }>(input.NextToken, invalidToken).o : 0;
  const p = page(items, offset, Math.min(num(input.Limit) || 100, 100));
  return { items: p.items, NextToken: p.next !== undefined ? encodeToken({ o: p.next }) : undefined };
}

export const eventBridgeService = jsonService(
  "events",
  protocol,
  {
    ListRules(input, region) {
      const bus = str(input.EventBusName)?.split("/").pop() ?? "default";
      const prefix = str(input.NamePrefix) ?? "";
      const p = paged(listRules(region).filter((r) => r.bus === bus && r.name.startsWith(prefix)), input);
      return { Rules: p.items.map(describe), NextToken: p.NextToken };
    },
    DescribeRule(input, region) {
      return { ...describe(ruleOf(region, input.Name, input.EventBusName)), CreatedBy: ACCOUNT_ID };
    },
    ListTargetsByRule(input, region) {
      const r = ruleOf(region, input.Rule, input.EventBusName);
      const p = paged(r.targets, input);
      return {
        Targets: p.items.map((t) => ({
          Id: t.id,
          Arn: t.arn,
          ...(t.arn.includes(":states:") || t.arn.includes(":kinesis:") ? { RoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/events-${r.name}` } : {}),
          ...(t.dlq ? { DeadLetterConfig: { Arn: t.dlq } } : {}),
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
        })),
        NextToken: p.NextToken,
      };
    },
    ListTagsForResource(input, region) {
      const arn = str(input.ResourceARN);
      const r = listRules(region).find((x) => ruleArn(x) === arn);
      if (!r) throw new AwsError("ResourceNotFoundException", `Rule ${arn ?? ""} does not exist.`, 400);
      return { Tags: [{ Key: "team", Value: r.name.startsWith("order") ? "orders" : "platform" }] };
    },
  },
  () => new AwsError("ThrottlingException", "Rate exceeded", 400),
);
