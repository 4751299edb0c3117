import { readOnlyPolicy, type IamPolicy } from "./permissions";

// The CloudFormation template "Connect an AWS account" hands out: a read-only role with exactly the
// policy of lib/aws/permissions.ts, assumable by Osprey's principal only with the generated external id.
// Pure: no I/O, so the template, its commands and links are tested as plain data.

export const ROLE_LOGICAL_ID = "OspreyReadOnlyRole";
export const DEFAULT_ROLE_NAME = "OspreyReadOnly";
export const DEFAULT_STACK_NAME = "osprey-readonly";
export const TEMPLATE_FILE = "osprey-readonly-role.yaml";
export const EXTERNAL_ID_PATTERN = "[\\w+=,.@:/-]+";

export interface OnboardingInput {
  /** The IAM principal that assumes the role: Osprey's own user or role ARN, or an account root. */
  principalArn: string;
  /** Becomes the ExternalId parameter's default when given. */
  externalId?: string;
  roleName?: string;
}

type Intrinsic = { Ref: string } | { "Fn::GetAtt": [string, string] };

export interface CfnTemplate {
  AWSTemplateFormatVersion: "2010-09-09";
  Description: string;
  Parameters: Record<string, { Type: "String"; Description: string; Default?: string; MinLength?: number; MaxLength?: number; AllowedPattern?: string }>;
  Resources: Record<
    string,
    {
      Type: "AWS::IAM::Role";
      Properties: {
        RoleName: Intrinsic;
        Description: string;
        MaxSessionDuration: number;
        AssumeRolePolicyDocument: {
          Version: "2012-10-17";
          Statement: { Effect: "Allow"; Principal: { AWS: Intrinsic }; Action: "sts:AssumeRole"; Condition: { StringEquals: { "sts:ExternalId": Intrinsic } } }[];
        };
        Policies: { PolicyName: string; PolicyDocument: IamPolicy }[];
      };
    }
  >;
  Outputs: Record<string, { Description: string; Value: Intrinsic }>;
}

export function buildOnboardingTemplate(input: OnboardingInput): CfnTemplate {
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: "Osprey: a read-only role for monitoring this account's Lambda functions, logs, metrics and traces.",
    Parameters: {
      ExternalId: {
        Type: "String",
        Description: "The external id Osprey generated for this connection; Osprey must present it to assume the role.",
        ...(input.externalId ? { Default: input.externalId } : {}),
        MinLength: 16,
        MaxLength: 1224,
        AllowedPattern: EXTERNAL_ID_PATTERN,
      },
      OspreyPrincipal: { Type: "String", Description: "The IAM user or role Osprey runs as (the only principal trusted to assume the role).", Default: input.principalArn },
      RoleName: { Type: "String", Description: "The name of the role to create.", Default: input.roleName ?? DEFAULT_ROLE_NAME },
    },
    Resources: {
      [ROLE_LOGICAL_ID]: {
        Type: "AWS::IAM::Role",
        Properties: {
          RoleName: { Ref: "RoleName" },
          Description: "Read-only access for Osprey (serverless monitoring).",
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { AWS: { Ref: "OspreyPrincipal" } },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "sts:ExternalId": { Ref: "ExternalId" } } },
              },
            ],
          },
          Policies: [{ PolicyName: "OspreyReadOnly", PolicyDocument: readOnlyPolicy() }],
        },
      },
    },
    Outputs: {
      RoleArn: { Description: "Paste this into Osprey's Connect an AWS account form.", Value: { "Fn::GetAtt": [ROLE_LOGICAL_ID, "Arn"] } },
    },
  };
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const scalar = (v: unknown): string => (typeof v === "number" || typeof v === "boolean" ? String(v) : JSON.stringify(String(v)));
const isEmpty = (v: object) => (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);

function yamlLines(value: unknown, indent: number): string[] {
  const pad = " ".repeat(indent);
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (item === null || typeof item !== "object" || isEmpty(item)) return [`${pad}- ${item !== null && typeof item === "object" ? (Array.isArray(item) ? "[]" : "{}") : scalar(item)}`];
      const [first, ...rest] = yamlLines(item, indent + 2);
      return [`${pad}- ${first.trimStart()}`, ...rest];
    });
  }
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
    // Double-quoted YAML strings take JSON's escapes, so JSON.stringify quotes keys and values safely.
    const key = PLAIN_KEY.test(k) ? k : JSON.stringify(k);
    if (v === null || typeof v !== "object") return [`${pad}${key}: ${scalar(v)}`];
    if (isEmpty(v)) return [`${pad}${key}: ${Array.isArray(v) ? "[]" : "{}"}`];
    return [`${pad}${key}:`, ...yamlLines(v, indent + 2)];
  });
}

/** Block-style YAML of plain data (objects, arrays, strings, numbers): what CloudFormation's console shows best. */
export function toYaml(value: object): string {
  return `${yamlLines(value, 0).join("\n")}\n`;
}

export function renderTemplate(template: CfnTemplate, format: "yaml" | "json"): string {
  return format === "json" ? `${JSON.stringify(template, null, 2)}\n` : toYaml(template);
}

// ---- how to deploy it ----

export interface DeployInput {
  principalArn: string;
  externalId: string;
  region: string;
  stackName?: string;
  /** Where the user uploaded the template (an S3 https URL): the console's quick-create link needs one. */
  templateUrl?: string;
}

const TEMPLATE_URL_PLACEHOLDER = `https://YOUR-BUCKET.s3.amazonaws.com/${TEMPLATE_FILE}`;

/** The CloudFormation console's quick-create page with the stack name and external id filled in. */
export function quickCreateUrl(d: DeployInput): string {
  const q = new URLSearchParams({ templateURL: d.templateUrl ?? TEMPLATE_URL_PLACEHOLDER, stackName: d.stackName ?? DEFAULT_STACK_NAME, param_ExternalId: d.externalId, param_OspreyPrincipal: d.principalArn });
  return `https://console.aws.amazon.com/cloudformation/home?region=${encodeURIComponent(d.region)}#/stacks/quickcreate?${q.toString()}`;
}

// Values are single-quoted for POSIX shells; a quote inside cannot occur (ARNs and external ids exclude it).
const sh = (v: string) => `'${v.replace(/'/g, "'\\''")}'`;

/** One account: upload for the console link, or deploy straight from the CLI, then read the role ARN. */
export function cliDeployCommands(d: DeployInput): string[] {
  const stack = d.stackName ?? DEFAULT_STACK_NAME;
  return [
    `aws cloudformation deploy --region ${d.region} --stack-name ${stack} --template-file ${TEMPLATE_FILE} --capabilities CAPABILITY_NAMED_IAM --parameter-overrides ExternalId=${sh(d.externalId)} OspreyPrincipal=${sh(d.principalArn)}`,
    `aws cloudformation describe-stacks --region ${d.region} --stack-name ${stack} --query "Stacks[0].Outputs[?OutputKey=='RoleArn'].OutputValue" --output text`,
  ];
}

export interface StackSetInput extends DeployInput {
  /** Organization root (r-…) or OU ids (ou-…) to deploy to; a placeholder when not given. */
  organizationalUnitIds?: string[];
}

/**
 * Every account of an AWS Organization (or of some OUs): a service-managed StackSet, run from the
 * management account or a delegated administrator. IAM is global, so one region per account is enough.
 */
export function stackSetCommands(d: StackSetInput): string[] {
  const stack = d.stackName ?? DEFAULT_STACK_NAME;
  const ous = (d.organizationalUnitIds?.length ? d.organizationalUnitIds : ["r-xxxx"]).join(",");
  return [
    `aws cloudformation create-stack-set --region ${d.region} --stack-set-name ${stack} --template-body file://${TEMPLATE_FILE} --permission-model SERVICE_MANAGED --auto-deployment Enabled=true,RetainStacksOnAccountRemoval=false --capabilities CAPABILITY_NAMED_IAM --parameters ParameterKey=ExternalId,ParameterValue=${sh(d.externalId)} ParameterKey=OspreyPrincipal,ParameterValue=${sh(d.principalArn)}`,
    `aws cloudformation create-stack-instances --region ${d.region} --stack-set-name ${stack} --deployment-targets OrganizationalUnitIds=${ous} --regions ${d.region} --operation-preferences FailureToleranceCount=0,MaxConcurrentCount=10`,
    `aws cloudformation list-stack-instances --region ${d.region} --stack-set-name ${stack} --query "Summaries[].[Account,Status]" --output text`,
  ];
}

/** An IAM principal for a trust policy from a GetCallerIdentity ARN: an assumed-role session becomes its role. */
export function principalFromCallerArn(arn: string): string {
  const assumed = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  if (assumed) return `arn:${assumed[1]}:iam::${assumed[2]}:role/${assumed[3]}`;
  return arn;
}

/** A trust-policy principal Osprey accepts as configuration: a 12-digit account, or an IAM user, role or root ARN. */
export const PRINCIPAL_PATTERN = /^(\d{12}|arn:aws[a-z-]*:iam::\d{12}:(root|user\/[\w+=,.@\/-]+|role\/[\w+=,.@\/-]+))$/;
