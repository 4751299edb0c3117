import { z } from "zod";

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

export const AccountInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    awsAccountId: z.string().regex(/^\d{12}$/, "must be 12 digits").nullish(),
    regions: z.array(z.string().regex(REGION, "must be an AWS region such as us-east-1")).min(1).max(30),
    credentialMethod: z.enum(["default_chain", "profile", "assume_role"]).default("default_chain"),
    profile: z.string().trim().min(1).max(128).nullish(),
    roleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/, "must be an IAM role ARN").nullish(),
    externalId: z.string().min(2).max(1224).regex(/^[\w+=,.@:\/-]+$/).nullish(),
  })
  .superRefine((a, ctx) => {
    if (a.credentialMethod === "profile" && !a.profile) ctx.addIssue({ code: "custom", path: ["profile"], message: "required for a named profile" });
    if (a.credentialMethod === "assume_role" && !a.roleArn) ctx.addIssue({ code: "custom", path: ["roleArn"], message: "required to assume a role" });
  });
export type AccountInput = z.infer<typeof AccountInput>;

/** What the API shows of an account: never the external id. */
export function toAccountView(a: {
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
}) {
  return {
    id: a.id,
    name: a.name,
    awsAccountId: a.awsAccountId,
    regions: a.regions,
    credentialMethod: a.credentialMethod,
    profile: a.profile,
    roleArn: a.roleArn,
    hasExternalId: Boolean(a.externalId),
    isSandbox: a.isSandbox,
    createdAt: a.createdAt.toISOString(),
  };
}
