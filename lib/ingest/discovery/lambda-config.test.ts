import { describe, expect, it } from "vitest";
import { secretLikeNames, toLambdaConfig } from "./lambda-config";

describe("toLambdaConfig, for the Well-Architected review", () => {
  const fn = {
    FunctionName: "etl",
    FunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:etl",
    Environment: { Variables: { DB_HOST: "db", DB_PASSWORD: "hunter2", API_KEY_PARAM: "/etl/key", STRIPE_TOKEN: "tok" } },
    LoggingConfig: { LogFormat: "JSON" as const, ApplicationLogLevel: "DEBUG" as const },
  };

  it("keeps the names of secret-looking variables and never a value", () => {
    const config = toLambdaConfig(fn);
    expect(config.secretLikeEnvNames).toEqual(["DB_PASSWORD", "STRIPE_TOKEN"]);
    expect(JSON.stringify(config)).not.toContain("hunter2");
    expect(JSON.stringify(config)).not.toContain("tok\"");
  });

  it("tells secrets from references to them", () => {
    expect(secretLikeNames(["DB_PASSWORD_ARN", "SECRET_NAME", "GITHUB_TOKEN", "password"])).toEqual(["GITHUB_TOKEN", "password"]);
  });

  it("reads the application log level and the most open function URL", () => {
    const config = toLambdaConfig(fn, {
      functionUrls: [
        { FunctionUrl: "https://a", FunctionArn: fn.FunctionArn, AuthType: "AWS_IAM", CreationTime: "", LastModifiedTime: "" },
        { FunctionUrl: "https://b", FunctionArn: `${fn.FunctionArn}:live`, AuthType: "NONE", Cors: { AllowOrigins: ["*"] }, CreationTime: "", LastModifiedTime: "" },
      ],
    });
    expect(config).toMatchObject({ applicationLogLevel: "DEBUG", functionUrlAuthType: "NONE", functionUrlCorsAnyOrigin: true, userFacing: true });
    expect(toLambdaConfig(fn)).toMatchObject({ functionUrlAuthType: null, functionUrlCorsAnyOrigin: false });
  });
});
