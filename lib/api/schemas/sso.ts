import { z } from "zod";
import { ROLES } from "@/lib/auth/roles";

const Role = z.enum(ROLES);

export const SsoRoleRule = z.strictObject({ value: z.string().trim().min(1).max(300), role: Role });

export const SsoConfigInput = z.strictObject({
  enabled: z.boolean(),
  name: z.string().trim().min(1).max(60).meta({ description: "Shown on the sign-in button: Sign in with <name>" }),
  issuer: z.url({ protocol: /^https?$/, error: "must be the IdP's issuer URL (http:// or https://)" }).max(500),
  clientId: z.string().trim().min(1).max(500),
  clientSecret: z.string().min(1).max(2000).optional().meta({ description: "Write-only; omit to keep the stored secret" }),
  scopes: z
    .string()
    .trim()
    .max(500)
    .regex(/^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/, "must be scope names separated by single spaces")
    .default("openid email profile"),
  roleClaim: z.string().trim().min(1).max(200).default("groups"),
  rules: z.array(SsoRoleRule).max(100).default([]),
  defaultRole: Role.nullable().meta({ description: "The role when no rule matches; null refuses the sign-in" }),
});
export type SsoConfigInput = z.infer<typeof SsoConfigInput>;

export const SsoConfigView = z.object({
  configured: z.boolean(),
  source: z.enum(["settings", "env"]).meta({ description: "env: set by OSPREY_OIDC_* variables, read-only here" }),
  enabled: z.boolean(),
  name: z.string(),
  issuer: z.string(),
  clientId: z.string(),
  clientSecret: z.string().nullable().meta({ description: "Masked (its last 4 characters at most), null when none is stored" }),
  scopes: z.string(),
  roleClaim: z.string(),
  rules: z.array(SsoRoleRule),
  defaultRole: Role.nullable(),
  redirectUri: z.string().meta({ description: "The redirect URI to register at the IdP" }),
  updatedAt: z.string().nullable(),
});
export type SsoConfigView = z.infer<typeof SsoConfigView>;
export const SsoConfigResponse = z.object({ data: SsoConfigView });

export const SsoDiscoveryInput = z.strictObject({ issuer: z.url({ protocol: /^https?$/ }).max(500).optional().meta({ description: "Defaults to the stored issuer" }) });
export const SsoDiscoveryResult = z.object({
  ok: z.boolean(),
  issuer: z.string(),
  discoveryUrl: z.string(),
  error: z.string().nullable(),
  authorizationEndpoint: z.string().nullable(),
  tokenEndpoint: z.string().nullable(),
  userinfoEndpoint: z.string().nullable(),
  jwksUri: z.string().nullable(),
  scopesSupported: z.array(z.string()).nullable(),
  claimsSupported: z.array(z.string()).nullable(),
});
export type SsoDiscoveryResult = z.infer<typeof SsoDiscoveryResult>;
export const SsoDiscoveryResponse = z.object({ data: SsoDiscoveryResult });
