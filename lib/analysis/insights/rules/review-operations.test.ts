import { describe, expect, it } from "vitest";
import { aFunction, anApi, DAY, evaluateOnFunction, evaluateRule, NOW } from "../__fixtures__/builders";
import {
  apiGatewayNoAccessLogs,
  apiGatewayNotInfrastructureAsCode,
  apiGatewayTracingOff,
  lambdaNotInfrastructureAsCode,
  lambdaTextLogFormat,
  lambdaUntagged,
  lambdaUnused,
} from "./review-operations";

describe("lambda-text-log-format", () => {
  it("fails text logs and passes JSON", () => {
    expect(evaluateOnFunction(lambdaTextLogFormat, aFunction({ logFormat: "Text" }))?.evidence).toEqual({ logFormat: "Text" });
    expect(evaluateOnFunction(lambdaTextLogFormat, aFunction({ logFormat: "JSON" }))).toBeUndefined();
  });
});

describe("lambda-untagged", () => {
  it("does not count AWS's own tags as the team's", () => {
    expect(evaluateOnFunction(lambdaUntagged, aFunction({ tags: { "aws:cloudformation:stack-name": "orders" } }))).toBeDefined();
    expect(evaluateOnFunction(lambdaUntagged, aFunction({ tags: { team: "orders" } }))).toBeUndefined();
  });
});

describe("lambda-not-infrastructure-as-code", () => {
  it("fails a function without the CloudFormation stack tag", () => {
    expect(evaluateOnFunction(lambdaNotInfrastructureAsCode, aFunction({ tags: { team: "orders" } }))?.evidence).toEqual({ "aws:cloudformation:stack-name": "missing" });
    expect(evaluateOnFunction(lambdaNotInfrastructureAsCode, aFunction({ tags: { "aws:cloudformation:stack-name": "orders" } }))).toBeUndefined();
  });
});

describe("lambda-unused", () => {
  const old = new Date(NOW.getTime() - 200 * DAY);
  it("flags a function with no invocation that nobody changed for 90 days", () => {
    expect(evaluateOnFunction(lambdaUnused, aFunction({ lastModified: old }, null))?.evidence).toEqual({ invocations: 0, daysSinceLastChange: 200 });
    expect(evaluateOnFunction(lambdaUnused, aFunction({ lastModified: old }, { invocations: 0 }))).toBeDefined();
  });
  it("passes a function that ran, or changed recently", () => {
    expect(evaluateOnFunction(lambdaUnused, aFunction({ lastModified: old }, { invocations: 3 }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaUnused, aFunction({ lastModified: new Date(NOW.getTime() - 10 * DAY) }, null))).toBeUndefined();
  });
});

describe("apigateway-no-access-logs", () => {
  it("names the stages without access logs", () => {
    expect(evaluateRule(apiGatewayNoAccessLogs, { apis: [anApi({ stagesWithoutAccessLogs: ["prod"] })] })[0].evidence).toEqual({ stages: "prod" });
    expect(evaluateRule(apiGatewayNoAccessLogs, { apis: [anApi()] })).toEqual([]);
  });
});

describe("apigateway-tracing-off", () => {
  it("judges REST stages only: HTTP APIs cannot trace", () => {
    expect(evaluateRule(apiGatewayTracingOff, { apis: [anApi({ protocol: "REST", stagesWithoutTracing: ["prod"] })] })).toHaveLength(1);
    expect(evaluateRule(apiGatewayTracingOff, { apis: [anApi({ protocol: "HTTP", stagesWithoutTracing: ["prod"] })] })).toEqual([]);
    expect(evaluateRule(apiGatewayTracingOff, { apis: [anApi({ protocol: "REST" })] })).toEqual([]);
  });
});

describe("apigateway-not-infrastructure-as-code", () => {
  it("fails an API without the CloudFormation stack tag", () => {
    expect(evaluateRule(apiGatewayNotInfrastructureAsCode, { apis: [anApi({ tags: { team: "shop" } })] })).toHaveLength(1);
    expect(evaluateRule(apiGatewayNotInfrastructureAsCode, { apis: [anApi()] })).toEqual([]);
  });
});
