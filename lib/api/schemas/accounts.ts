import { z } from "zod";
import { aadFor, openStored } from "@/lib/crypto/secrets";
import { maskSecret } from "@/lib/notify/channel-kinds";

export const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

export const RoleArn = z.string().trim().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/, "must be an IAM role ARN");
export const ExternalId = z.string().min(2).max(1224).regex(/^[\w+=,.@:\/-]+$/);

export const AccountInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    awsAccountId: z.string().regex(/^\d{12}$/, "must be 12 digits").nullish(),
    regions: z.array(z.string().regex(REGION, "must be an AWS region such as us-east-1")).min(1).max(30),
    credentialMethod: z.enum(["default_chain", "profile", "assume_role"]).default("default_chain"),
    profile: z.string().trim().min(1).max(128).nullish(),
    roleArn: RoleArn.nullish(),
    externalId: ExternalId.nullish(),
  })
  .superRefine((a, ctx) => {
    if (a.credentialMethod === "profile" && !a.profile) ctx.addIssue({ code: "custom", path: ["profile"], message: "required for a named profile" });
    if (a.credentialMethod === "assume_role" && !a.roleArn) ctx.addIssue({ code: "custom", path: ["roleArn"], message: "required to assume a role" });
  });
export type AccountInput = z.infer<typeof AccountInput>;

/** What the API shows of an account: of the external id, whether it is set and its last four characters (of one of 16 or more); of the Firehose key, its hint. */
export function toAccountView(
  a: {
  id: number;
  name: string;
  awsAccountId: string | null;
  regions: string[];
  credentialMethod: string;
  profile: string | null;
  roleArn: string | null;
  externalId: string | null;
  isSandbox: boolean;
  createdAt: Date;
  },
  firehoseKey?: { hint: string; createdAt: string },
) {
  return {
    id: a.id,
    name: a.name,
    awsAccountId: a.awsAccountId,
    regions: a.regions,
    credentialMethod: a.credentialMethod,
    profile: a.profile,
    roleArn: a.roleArn,
    hasExternalId: Boolean(a.externalId),
    externalIdHint: maskSecret(a.externalId ? openStored(a.externalId, aadFor("accounts", "external_id", a.id)) : null),
    firehoseKey: firehoseKey ?? null,
    isSandbox: a.isSandbox,
    createdAt: a.createdAt.toISOString(),
  };
}
