import { describe, expect, it } from "vitest";
import { aFunction, aQueue, evaluateOnFunction, evaluateRule } from "../__fixtures__/builders";
import { lambdaFunctionUrlAuthNone, lambdaFunctionUrlCorsAnyOrigin, lambdaLayerFromOtherAccount, lambdaSecretInEnvironment, sqsPublicPolicy, sqsUnencrypted } from "./review-security";

describe("lambda-function-url-auth-none", () => {
  it("fails a function URL anyone may call and passes IAM-authenticated or absent URLs", () => {
    const finding = evaluateOnFunction(lambdaFunctionUrlAuthNone, aFunction({ functionUrlAuthType: "NONE" }));
    expect(finding).toMatchObject({ severity: "warning", evidence: { functionUrlAuthType: "NONE" } });
    expect(finding!.recommendation).toContain("AWS_IAM");
    expect(evaluateOnFunction(lambdaFunctionUrlAuthNone, aFunction({ functionUrlAuthType: "AWS_IAM" }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaFunctionUrlAuthNone, aFunction({ functionUrlAuthType: null }))).toBeUndefined();
  });
});

describe("lambda-function-url-cors-any-origin", () => {
  it("flags AllowOrigins * only on functions that have a URL", () => {
    expect(evaluateOnFunction(lambdaFunctionUrlCorsAnyOrigin, aFunction({ functionUrlAuthType: "AWS_IAM", functionUrlCorsAnyOrigin: true }))?.evidence).toEqual({ functionUrlAuthType: "AWS_IAM", allowOrigins: "*" });
    expect(evaluateOnFunction(lambdaFunctionUrlCorsAnyOrigin, aFunction({ functionUrlAuthType: "AWS_IAM", functionUrlCorsAnyOrigin: false }))).toBeUndefined();
    expect(evaluateOnFunction(lambdaFunctionUrlCorsAnyOrigin, aFunction({ functionUrlAuthType: null, functionUrlCorsAnyOrigin: true }))).toBeUndefined();
  });
});

describe("lambda-secret-in-environment", () => {
  it("names the variables, never a value", () => {
    const finding = evaluateOnFunction(lambdaSecretInEnvironment, aFunction({ secretLikeEnvNames: ["DB_PASSWORD", "STRIPE_API_KEY"] }));
    expect(finding?.evidence).toEqual({ variables: "DB_PASSWORD, STRIPE_API_KEY", count: 2 });
    expect(finding!.recommendation).toContain("Secrets Manager");
    expect(evaluateOnFunction(lambdaSecretInEnvironment, aFunction({ secretLikeEnvNames: [] }))).toBeUndefined();
  });
});

describe("lambda-layer-other-account", () => {
  it("flags layers published by another account and passes the function's own", () => {
    const foreign = "arn:aws:lambda:us-east-1:999999999999:layer:tools:3";
    const own = "arn:aws:lambda:us-east-1:123456789012:layer:pillow:7";
    expect(evaluateOnFunction(lambdaLayerFromOtherAccount, aFunction({ layers: [own, foreign] }))?.evidence).toEqual({ layers: foreign, count: 1 });
    expect(evaluateOnFunction(lambdaLayerFromOtherAccount, aFunction({ layers: [own] }))).toBeUndefined();
  });
});

describe("sqs-unencrypted", () => {
  it("fails a queue without encryption at rest", () => {
    expect(evaluateRule(sqsUnencrypted, { queues: [aQueue({ encrypted: false })] })).toHaveLength(1);
    expect(evaluateRule(sqsUnencrypted, { queues: [aQueue({ encrypted: true })] })).toEqual([]);
  });
});

describe("sqs-public-policy", () => {
  it("is critical when any principal may use the queue", () => {
    const [finding] = evaluateRule(sqsPublicPolicy, { queues: [aQueue({ publicPolicy: true })] });
    expect(finding.severity).toBe("critical");
    expect(evaluateRule(sqsPublicPolicy, { queues: [aQueue({ publicPolicy: false })] })).toEqual([]);
  });
});
