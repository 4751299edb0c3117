// The IAM policies of the sandbox's function roles, as iam:GetRolePolicy and iam:GetPolicyVersion serve them.
// Most roles are scoped (named actions on named ARNs, plus AWS's AWSLambdaBasicExecutionRole); legacy-etl's
// inline policy allows dynamodb:* on every resource and report-generator's role attaches a customer managed
// policy with Action "*", so the Well-Architected check of wildcard permissions has something to find.
import { ACCOUNT_ID } from "./catalog";

/** The execution role of a sandbox function: the API functions share one, every other function has its own. */
export function roleNameOfFunction(functionName: string): string {
  return functionName.startsWith("api-backend") || functionName === "auth-authorizer" ? "api-lambda-role" : `${functionName}-role`;
}

export const roleArnOfFunction = (functionName: string) => `arn:aws:iam::${ACCOUNT_ID}:role/${roleNameOfFunction(functionName)}`;

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Record<string, unknown>[];
}

export interface ManagedPolicy {
  arn: string;
  name: string;
  path: string;
  versionId: string;
  document: PolicyDocument;
}

const doc = (...Statement: Record<string, unknown>[]): PolicyDocument => ({ Version: "2012-10-17", Statement });

const BASIC_EXECUTION: ManagedPolicy = {
  arn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
  name: "AWSLambdaBasicExecutionRole",
  path: "/service-role/",
  versionId: "v1",
  document: doc({ Effect: "Allow", Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], Resource: "*" }),
};

const REPORTING_ADMIN: ManagedPolicy = {
  arn: `arn:aws:iam::${ACCOUNT_ID}:policy/reporting-admin`,
  name: "reporting-admin",
  path: "/",
  versionId: "v3",
  document: doc({ Sid: "EverythingForNow", Effect: "Allow", Action: "*", Resource: "*" }),
};

export const MANAGED_POLICIES: readonly ManagedPolicy[] = [BASIC_EXECUTION, REPORTING_ADMIN];

/** The inline policies (name -> document) and attached managed policy ARNs of a role of these functions. */
export function rolePolicies(roleName: string, region: string): { inline: Map<string, PolicyDocument>; attached: string[] } {
  const table = (name: string) => `arn:aws:dynamodb:${region}:${ACCOUNT_ID}:table/${name}`;
  const inline = new Map<string, PolicyDocument>();
  const attached = [BASIC_EXECUTION.arn];
  if (roleName === "legacy-etl-role") {
    inline.set("legacy-etl-access", doc({ Sid: "AllOfDynamoDB", Effect: "Allow", Action: "dynamodb:*", Resource: "*" }));
  } else if (roleName === "report-generator-role") {
    attached.push(REPORTING_ADMIN.arn);
  } else if (roleName === "image-processor-role") {
    // A prefix on one bucket: scoped enough, not flagged.
    inline.set("image-processor-access", doc({ Sid: "ReadUploads", Effect: "Allow", Action: ["s3:Get*", "s3:PutObject"], Resource: "arn:aws:s3:::shop-uploads/*" }));
  } else {
    inline.set(
      `${roleName.replace(/-role$/, "")}-access`,
      doc(
        { Sid: "Tables", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"], Resource: [table("orders"), `${table("orders")}/index/*`] },
        { Sid: "Tracing", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
        { Sid: "NoDeletes", Effect: "Deny", Action: "dynamodb:DeleteTable", Resource: "*" },
      ),
    );
  }
  return { inline, attached };
}

/** IAM returns policy documents URL-encoded (RFC 3986: also !'()*). */
export function urlEncodedDocument(d: PolicyDocument): string {
  return encodeURIComponent(JSON.stringify(d)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
