import { z } from "zod";
import { DEFAULT_ROLE_NAME, PRINCIPAL_PATTERN } from "@/lib/aws/onboarding-template";
import { ExternalId, REGION, RoleArn } from "./accounts";

const Region = z.string().regex(REGION, "must be an AWS region such as us-east-1");
const Principal = z.string().trim().regex(PRINCIPAL_PATTERN, "must be a 12-digit account id or an IAM user, role or root ARN");
// The template's own bound: an ExternalId Osprey generates has 39 characters.
const TemplateExternalId = ExternalId.min(16, "must be at least 16 characters");
const RoleName = z.string().regex(/^[\w+=,.@-]{1,64}$/, "must be an IAM role name (up to 64 letters, digits and +=,.@_-)");

export const OnboardingStart = z.object({
  region: Region.default("us-east-1"),
  principal: Principal.optional().meta({ description: "The principal to trust instead of the one Osprey detects" }),
});
export type OnboardingStart = z.infer<typeof OnboardingStart>;

export const OnboardingView = z.object({
  externalId: z.string().meta({ description: "A fresh random ExternalId; it is stored (encrypted) with the account when the account is added" }),
  principal: z.object({ arn: z.string().nullable(), source: z.enum(["configured", "credentials", "sandbox"]).nullable(), error: z.string().nullable() }),
  region: z.string(),
  stackName: z.string(),
  templateFile: z.string(),
  templateUrls: z.object({ yaml: z.string(), json: z.string() }).meta({ description: "This API's template, with the ExternalId and principal filled in" }),
  quickCreateUrl: z.string().meta({ description: "The console's quick-create link; its templateURL is a placeholder for where you upload the template (S3)" }),
  cliCommands: z.array(z.string()),
  stackSetCommands: z.array(z.string()),
  sandbox: z.boolean().meta({ description: "Whether a sandbox runs to try the template on (POST /api/v1/sandbox/stacks)" }),
});
export type OnboardingView = z.infer<typeof OnboardingView>;

export const TemplateQuery = z.object({
  format: z.enum(["yaml", "json"]).default("yaml"),
  externalId: TemplateExternalId.optional().meta({ description: "The ExternalId parameter's default" }),
  principal: Principal.optional().meta({ description: "The principal to trust; else the one Osprey detects" }),
  roleName: RoleName.default(DEFAULT_ROLE_NAME),
});
export type TemplateQuery = z.infer<typeof TemplateQuery>;

export const VerifyInput = z.object({ roleArn: RoleArn, externalId: ExternalId, region: Region.default("us-east-1") });
export type VerifyInput = z.infer<typeof VerifyInput>;

export const PermissionCheckView = z.object({
  action: z.string(),
  call: z.string(),
  status: z.enum(["allowed", "denied", "unchecked"]),
  essential: z.boolean(),
  message: z.string().nullable().meta({ description: "e.g. \"xray:BatchGetTraces denied – traces will not be collected\"" }),
});

export const ConnectionTestView = z.object({
  ok: z.boolean(),
  region: z.string(),
  awsAccountId: z.string().nullable().optional(),
  arn: z.string().nullable().optional(),
  error: z.string().optional(),
  permissions: z.array(PermissionCheckView),
});
export type ConnectionTestView = z.infer<typeof ConnectionTestView>;

export const SandboxStackInput = z.object({
  externalId: TemplateExternalId,
  roleName: RoleName.default(DEFAULT_ROLE_NAME),
  withoutActions: z
    .array(z.string().regex(/^[a-z0-9-]+:[A-Za-z]+$/, "an IAM action such as xray:BatchGetTraces"))
    .max(50)
    .default([])
    .meta({ description: "Actions left out of the role's policy, to see what verify says of a role that lacks them" }),
});
export type SandboxStackInput = z.infer<typeof SandboxStackInput>;
