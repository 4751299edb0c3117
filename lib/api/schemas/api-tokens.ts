import { z } from "zod";
import { API_TOKEN_SCOPES } from "../../crypto/api-token";

export const ApiTokenScope = z.enum(API_TOKEN_SCOPES).meta({ description: "read: acts as a viewer; write: acts with the user's own role" });

export const ApiTokenInput = z.strictObject({
  name: z.string().trim().min(1, "required").max(100),
  scope: ApiTokenScope,
  expiresInDays: z.number().int().min(1).max(3650).nullish().meta({ description: "Days until the token stops working; left out or null: never" }),
});
export type ApiTokenInput = z.infer<typeof ApiTokenInput>;

export const ApiTokensQuery = z.strictObject({
  all: z.enum(["1", "0"]).optional().meta({ description: "1: every user's tokens (admins and owners)" }),
});

export const ApiTokenView = z.object({
  id: z.number(),
  name: z.string(),
  scope: ApiTokenScope,
  hint: z.string().meta({ description: "The token's public prefix, osp_<8 hex>_…" }),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable().meta({ description: "Updated at most once a minute; null: never used" }),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  state: z.enum(["active", "revoked", "expired"]),
  user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
});
export type ApiTokenView = z.infer<typeof ApiTokenView>;

export const ApiTokenCreated = z.object({ token: z.string().meta({ description: "The token text, answered this once; Osprey keeps only its SHA-256" }), data: ApiTokenView });
