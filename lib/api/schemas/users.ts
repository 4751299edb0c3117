import { z } from "zod";
import { ROLES } from "../../auth/roles";

export const Role = z.enum(ROLES);

export const UserIdParam = z.object({ userId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be a user id") });

export const UserInput = z.strictObject({
  name: z.string().trim().min(1, "required").max(200),
  email: z.email("not an email address").max(320),
  role: Role,
});
export type UserInput = z.infer<typeof UserInput>;

export const UserPatch = z.strictObject({ role: Role });
export type UserPatch = z.infer<typeof UserPatch>;

export const UserView = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: Role,
  createdAt: z.string(),
  lastSignInAt: z.string().nullable(),
  signInMethods: z.array(z.string()).meta({ description: '"password", or an SSO provider; empty until the user has set a password with their link' }),
});

export const PasswordLink = z.object({
  url: z.string().meta({ description: "The one-time link that sets the user's password, answered this once; valid 24 h" }),
  expiresAt: z.string(),
  emailed: z.boolean().meta({ description: "Whether it was also e-mailed to the user (OSPREY_SMTP_URL set and the mail accepted)" }),
});
export type PasswordLink = z.infer<typeof PasswordLink>;

export const UserCreated = z.object({ data: UserView, link: PasswordLink });
