// The IAM policies of the functions' execution roles, for the Well-Architected check of wildcard
// permissions (SEC 2). Each distinct role is read once per discovery, and each managed policy once
// however many roles attach it. Every call is optional: a role whose policies could not be read keeps
// what an earlier pass learned (carry-forward), never "no policies".
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
  type IAMClient,
} from "@aws-sdk/client-iam";
import { wildcardStatements, type WildcardStatement } from "../ingest/discovery/role-policy";
import { mapLimit } from "../util/map-limit";
import { isCredentialsFailure } from "./call-failure";

// IAM's control plane is global and throttles early: a few roles at a time.
const ROLE_CONCURRENCY = 3;

/** The role name of a role ARN (arn:aws:iam::123456789012:role/service-role/name -> name). */
export const roleNameOf = (arn: string): string => arn.slice(arn.lastIndexOf("/") + 1);

/** A read that failed, with the IAM action it needed. */
export class IamReadError extends Error {
  constructor(
    readonly action: string,
    readonly cause: unknown,
  ) {
    super(`${action} failed`);
  }
}

async function step<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (isCredentialsFailure(err)) throw err;
    throw new IamReadError(action, err);
  }
}

/** Every statement of the role's inline and attached policies that allows wildcard actions or any resource. */
async function readRole(iam: IAMClient, roleArn: string, managed: Map<string, Promise<WildcardStatement[]>>): Promise<WildcardStatement[]> {
  const RoleName = roleNameOf(roleArn);
  const inline: string[] = await step("iam:ListRolePolicies", async () => {
    const names: string[] = [];
    for await (const page of paginateListRolePolicies({ client: iam }, { RoleName })) names.push(...(page.PolicyNames ?? []));
    return names;
  });
  const attached: string[] = await step("iam:ListAttachedRolePolicies", async () => {
    const arns: string[] = [];
    for await (const page of paginateListAttachedRolePolicies({ client: iam }, { RoleName })) arns.push(...(page.AttachedPolicies ?? []).map((p) => p.PolicyArn!).filter(Boolean));
    return arns;
  });
  const out: WildcardStatement[] = [];
  for (const PolicyName of inline) {
    const doc = await step("iam:GetRolePolicy", () => iam.send(new GetRolePolicyCommand({ RoleName, PolicyName })));
    out.push(...wildcardStatements(PolicyName, doc.PolicyDocument));
  }
  for (const arn of attached) {
    if (!managed.has(arn)) managed.set(arn, readManaged(iam, arn));
    out.push(...(await managed.get(arn)!));
  }
  return out;
}

async function readManaged(iam: IAMClient, PolicyArn: string): Promise<WildcardStatement[]> {
  const policy = await step("iam:GetPolicy", () => iam.send(new GetPolicyCommand({ PolicyArn })));
  const VersionId = policy.Policy?.DefaultVersionId;
  if (!VersionId) return [];
  const version = await step("iam:GetPolicyVersion", () => iam.send(new GetPolicyVersionCommand({ PolicyArn, VersionId })));
  return wildcardStatements(PolicyArn, version.PolicyVersion?.Document);
}

export interface RoleRead {
  /** The role's wildcard statements, or null when a call failed (the error says which). */
  statements: WildcardStatement[] | null;
  error: IamReadError | null;
}

/** Reads each distinct role once. Unusable credentials still throw; any other failure is that role's answer. */
export async function readRoles(iam: IAMClient, roleArns: Iterable<string>): Promise<Map<string, RoleRead>> {
  const roles = [...new Set(roleArns)].filter((r) => r.includes(":role/"));
  const managed = new Map<string, Promise<WildcardStatement[]>>();
  const reads = await mapLimit(roles, ROLE_CONCURRENCY, async (arn): Promise<[string, RoleRead]> => {
    try {
      return [arn, { statements: await readRole(iam, arn, managed), error: null }];
    } catch (err) {
      if (err instanceof IamReadError) return [arn, { statements: null, error: err }];
      throw err;
    }
  });
  return new Map(reads);
}
