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

describe("toLambdaConfig, versions and aliases", () => {
  // Shaped as AWS documents ListVersionsByFunction and ListAliases (Lambda API reference, AWS CLI examples).
  const fn = { FunctionName: "my-function", FunctionArn: "arn:aws:lambda:us-west-2:123456789012:function:my-function" };
  const versions = [
    { FunctionName: "my-function", Version: "$LATEST", CodeSha256: "YFgDgEKG3ugvF1+pX64gV6tu9qNuIYNUdgJm8nCxsm4=", Description: "" },
    {
      FunctionName: "my-function",
      Version: "2",
      CodeSha256: "sU0cJ2/hOZevwV/lTxCuQqK3gDZP3i8gUoqUUVRmY6E=",
      Description: "Fixes the retry loop",
      LastModified: "2019-10-01T16:47:28.490+0000",
    },
    { FunctionName: "my-function", Version: "1", CodeSha256: "YFgDgEKG3ugvF1+pX64gV6tu9qNuIYNUdgJm8nCxsm4=", Description: "", LastModified: "2019-09-26T20:28:40.438+0000" },
  ];
  const aliases = [
    {
      AliasArn: "arn:aws:lambda:us-west-2:123456789012:function:my-function:BLUE",
      RevisionId: "a410117f-xmpl-494e-8035-7e204bb7933b",
      FunctionVersion: "2",
      Name: "BLUE",
      Description: "Production environment BLUE.",
      RoutingConfig: { AdditionalVersionWeights: { "1": 0.7 } },
    },
    {
      AliasArn: "arn:aws:lambda:us-west-2:123456789012:function:my-function:GREEN",
      RevisionId: "21d40116-xmpl-40ba-9360-3ea284da1bb5",
      FunctionVersion: "1",
      Name: "GREEN",
      Description: "Production environment GREEN.",
    },
  ];

  it("keeps published versions oldest first with their code and description, leaving $LATEST out", () => {
    expect(toLambdaConfig(fn, { versions }).publishedVersions).toEqual([
      { version: "1", codeSha256: "YFgDgEKG3ugvF1+pX64gV6tu9qNuIYNUdgJm8nCxsm4=", lastModified: "2019-09-26T20:28:40.438+0000", description: null },
      { version: "2", codeSha256: "sU0cJ2/hOZevwV/lTxCuQqK3gDZP3i8gUoqUUVRmY6E=", lastModified: "2019-10-01T16:47:28.490+0000", description: "Fixes the retry loop" },
    ]);
  });

  it("keeps each alias's version and the weights of a weighted alias", () => {
    expect(toLambdaConfig(fn, { aliases }).aliases).toEqual([
      { name: "BLUE", functionVersion: "2", additionalVersionWeights: { "1": 0.7 } },
      { name: "GREEN", functionVersion: "1", additionalVersionWeights: {} },
    ]);
  });
});
