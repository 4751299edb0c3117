import { describe, expect, it } from "vitest";
import { actionLevel, parsePolicyDocument, servicesOf, wildcardStatements } from "./role-policy";

// Documents from the IAM User Guide and AWS managed policies, as GetRolePolicy / GetPolicyVersion return
// them: URL-encoded (RFC 3986, "Policies returned by this operation are URL-encoded").
const encoded = (doc: unknown) => encodeURIComponent(JSON.stringify(doc));

// AdministratorAccess
const ADMIN = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
// AWSLambdaBasicExecutionRole
const BASIC_EXECUTION = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], Resource: "*" }],
};
// AmazonS3ReadOnlyAccess
const S3_READ_ONLY = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["s3:Get*", "s3:List*", "s3:Describe*", "s3-object-lambda:Get*", "s3-object-lambda:List*"], Resource: "*" }],
};
// PowerUserAccess: everything but IAM, Organizations and Account, with a few IAM reads back.
const POWER_USER = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", NotAction: ["iam:*", "organizations:*", "account:*"], Resource: "*" },
    { Effect: "Allow", Action: ["iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole", "iam:ListRoles", "organizations:DescribeOrganization", "account:ListRegions"], Resource: "*" },
  ],
};
// IAM User Guide, "Amazon DynamoDB: Allows access to a specific table"
const ONE_TABLE = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "ListAndDescribe",
      Effect: "Allow",
      Action: ["dynamodb:List*", "dynamodb:DescribeReservedCapacity*", "dynamodb:DescribeLimits", "dynamodb:DescribeTimeToLive"],
      Resource: "*",
    },
    { Sid: "SpecificTable", Effect: "Allow", Action: ["dynamodb:BatchGet*", "dynamodb:Get*", "dynamodb:Query", "dynamodb:PutItem"], Resource: "arn:aws:dynamodb:*:*:table/MyTable" },
  ],
};
// IAM User Guide, NotResource with Deny: "deny everything outside the bucket"
const DENY_ELSEWHERE = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Action: "s3:*", Resource: ["arn:aws:s3:::amzn-s3-demo-bucket", "arn:aws:s3:::amzn-s3-demo-bucket/*"] },
    { Effect: "Deny", Action: "s3:*", NotResource: ["arn:aws:s3:::amzn-s3-demo-bucket", "arn:aws:s3:::amzn-s3-demo-bucket/*"] },
  ],
};

describe("parsePolicyDocument", () => {
  it("reads the URL-encoded documents IAM returns, and plain JSON", () => {
    expect(parsePolicyDocument(encoded(ADMIN))).toEqual(ADMIN);
    expect(parsePolicyDocument(JSON.stringify(ADMIN))).toEqual(ADMIN);
  });

  it("answers null for what is not a policy document", () => {
    expect(parsePolicyDocument(undefined)).toBeNull();
    expect(parsePolicyDocument("%E0%A4%A")).toBeNull();
    expect(parsePolicyDocument("not json")).toBeNull();
    expect(parsePolicyDocument("[1]")).toBeNull();
  });
});

describe("actionLevel", () => {
  it("tells every action, a whole service and a prefix apart", () => {
    expect(actionLevel("*")).toBe("all");
    expect(actionLevel("s3:*")).toBe("service");
    expect(actionLevel("s3:Get*")).toBe("partial");
    expect(actionLevel("dynamodb:Get?tem")).toBe("partial");
    expect(actionLevel("dynamodb:GetItem")).toBe("none");
  });
});

describe("wildcardStatements", () => {
  it("flags Action \"*\" on Resource \"*\" as every action, with a string Action and Resource", () => {
    expect(wildcardStatements("AdministratorAccess", encoded(ADMIN))).toEqual([
      { policy: "AdministratorAccess", statement: "#1", actions: ["*"], notAction: false, anyResource: true, resources: ["*"], level: "all" },
    ]);
  });

  it("keeps a statement of named actions on any resource, without wildcard actions", () => {
    const [st] = wildcardStatements("AWSLambdaBasicExecutionRole", encoded(BASIC_EXECUTION));
    expect(st).toMatchObject({ actions: [], anyResource: true, level: "none" });
  });

  it("reads prefix wildcards of an Action array", () => {
    const [st] = wildcardStatements("AmazonS3ReadOnlyAccess", encoded(S3_READ_ONLY));
    expect(st).toMatchObject({ level: "partial", anyResource: true });
    expect(st.actions).toEqual(S3_READ_ONLY.Statement[0].Action);
    expect(servicesOf(st.actions)).toEqual(["s3", "s3-object-lambda"]);
  });

  it("treats NotAction as every action but those named", () => {
    const [notAction, reads] = wildcardStatements("PowerUserAccess", encoded(POWER_USER));
    expect(notAction).toMatchObject({ statement: "#1", notAction: true, level: "all", actions: ["not iam:*", "not organizations:*", "not account:*"] });
    expect(reads).toMatchObject({ statement: "#2", level: "none", anyResource: true });
  });

  it("names statements by Sid and leaves out a scoped statement without wildcards", () => {
    const found = wildcardStatements("orders-table", encoded(ONE_TABLE));
    expect(found.map((s) => [s.statement, s.level, s.anyResource])).toEqual([
      ["ListAndDescribe", "partial", true],
      ["SpecificTable", "partial", false],
    ]);
    expect(found[1].resources).toEqual(["arn:aws:dynamodb:*:*:table/MyTable"]);
    const scoped = { Version: "2012-10-17", Statement: { Effect: "Allow", Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:us-east-1:123456789012:table/orders" } };
    expect(wildcardStatements("p", encoded(scoped))).toEqual([]);
  });

  it("ignores Deny statements and keeps a service wildcard on named resources", () => {
    const found = wildcardStatements("bucket-only", encoded(DENY_ELSEWHERE));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ actions: ["s3:*"], level: "service", anyResource: false });
  });

  it("counts an Allow with NotResource as reaching any resource", () => {
    const doc = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sqs:SendMessage", NotResource: "arn:aws:sqs:us-east-1:123456789012:internal" }] };
    expect(wildcardStatements("p", encoded(doc))[0]).toMatchObject({ anyResource: true, level: "none", resources: ["not arn:aws:sqs:us-east-1:123456789012:internal"] });
  });
});
