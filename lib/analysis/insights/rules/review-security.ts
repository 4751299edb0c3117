import type { InsightRule } from "../types";
import { CONFIG, FUNCTION_URLS, QUEUE_ATTRIBUTES } from "./requirements";
import { createFinding, eachResource, NO_THRESHOLDS } from "./shared";

const LENS = "AWS Well-Architected Serverless Lens";

export const lambdaFunctionUrlAuthNone: InsightRule = {
  id: "lambda-function-url-auth-none",
  title: "Function URL open to anyone (auth NONE)",
  service: "lambda",
  pillar: "security",
  question: "SEC1",
  requires: [FUNCTION_URLS],
  needs: ["config"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(ctx.functions, ({ config }) =>
      config.functionUrlAuthType !== "NONE"
        ? null
        : createFinding(
            lambdaFunctionUrlAuthNone,
            config.arn,
            "warning",
            { functionUrlAuthType: "NONE" },
            `${config.functionName} has a function URL with AuthType NONE: anyone who finds the URL can invoke it, ` +
              `and every call is billed to you. Use AWS_IAM (callers sign with SigV4), or put API Gateway with an ` +
              `authorizer in front and remove the URL.`,
          ),
    );
  },
};

export const lambdaFunctionUrlCorsAnyOrigin: InsightRule = {
  id: "lambda-function-url-cors-any-origin",
  title: "Function URL allows requests from any origin",
  service: "lambda",
  pillar: "security",
  question: "SEC1",
  requires: [FUNCTION_URLS],
  needs: ["config"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(ctx.functions, ({ config }) =>
      config.functionUrlAuthType === null || !config.functionUrlCorsAnyOrigin
        ? null
        : createFinding(
            lambdaFunctionUrlCorsAnyOrigin,
            config.arn,
            "info",
            { functionUrlAuthType: config.functionUrlAuthType, allowOrigins: "*" },
            `The function URL of ${config.functionName} lets a browser on any site call it (AllowOrigins "*"). ` +
              `List the origins of your own front ends instead.`,
          ),
    );
  },
};

export const lambdaSecretInEnvironment: InsightRule = {
  id: "lambda-secret-in-environment",
  title: "Secret-looking environment variables",
  service: "lambda",
  pillar: "security",
  question: "SEC3",
  requires: [CONFIG],
  needs: ["config"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(ctx.functions, ({ config }) =>
      config.secretLikeEnvNames.length === 0
        ? null
        : createFinding(
            lambdaSecretInEnvironment,
            config.arn,
            "warning",
            { variables: config.secretLikeEnvNames.join(", "), count: config.secretLikeEnvNames.length },
            `${config.functionName} has environment variables named like secrets (${config.secretLikeEnvNames.join(", ")}). ` +
              `Anyone with lambda:GetFunctionConfiguration reads their values. Keep the secret in Secrets Manager or ` +
              `Parameter Store (SecureString) and pass its name or ARN instead (${LENS}, SEC 3).`,
          ),
    );
  },
};

export const lambdaLayerFromOtherAccount: InsightRule = {
  id: "lambda-layer-other-account",
  title: "Layer published by another account",
  service: "lambda",
  pillar: "security",
  question: "SEC3",
  requires: [CONFIG],
  needs: ["config"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(ctx.functions, ({ config }) => {
      // arn:aws:lambda:region:ACCOUNT:layer:name:version
      const foreign = config.layers.filter((arn) => arn.split(":")[4] !== config.accountId);
      if (!foreign.length || !config.accountId) return null;
      return createFinding(
        lambdaLayerFromOtherAccount,
        config.arn,
        "info",
        { layers: foreign.join(", "), count: foreign.length },
        `${config.functionName} runs code from ${foreign.length === 1 ? "a layer" : "layers"} another account ` +
          `publishes (${foreign.join(", ")}). Make sure you trust that publisher and pin the version; a vendor's ` +
          `extension is fine, an unknown account is not.`,
      );
    });
  },
};

export const sqsUnencrypted: InsightRule = {
  id: "sqs-unencrypted",
  title: "Queue not encrypted at rest",
  service: "sqs",
  pillar: "security",
  question: "SEC3",
  requires: [QUEUE_ATTRIBUTES],
  needs: ["config"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(ctx.queues, (q) =>
      q.encrypted
        ? null
        : createFinding(
            sqsUnencrypted,
            q.arn,
            "warning",
            { sqsManagedSse: false, kmsKey: false },
            `${q.name} stores its messages unencrypted. Turn on SQS-managed encryption (SqsManagedSseEnabled, free) ` +
              `or a KMS key when you must control who can decrypt.`,
          ),
    );
  },
};

export const sqsPublicPolicy: InsightRule = {
  id: "sqs-public-policy",
  title: "Queue policy allows any principal",
  service: "sqs",
  pillar: "security",
  question: "SEC2",
  requires: [QUEUE_ATTRIBUTES],
  needs: ["config"],
  ...NO_THRESHOLDS,
  evaluate(ctx) {
    return eachResource(ctx.queues, (q) =>
      !q.publicPolicy
        ? null
        : createFinding(
            sqsPublicPolicy,
            q.arn,
            "critical",
            { principal: "*", condition: false },
            `The access policy of ${q.name} allows Principal "*" without a condition: any AWS account can use the ` +
              `queue. Name the accounts, roles or services that need it, or add an aws:SourceArn / aws:SourceAccount condition.`,
          ),
    );
  },
};

export const REVIEW_SECURITY_RULES: InsightRule[] = [
  lambdaFunctionUrlAuthNone,
  lambdaFunctionUrlCorsAnyOrigin,
  lambdaSecretInEnvironment,
  lambdaLayerFromOtherAccount,
  sqsUnencrypted,
  sqsPublicPolicy,
];
