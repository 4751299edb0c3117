import { z } from "zod";

/**
 * Calls the sandbox refuses the way a real account can: `deny` answers AccessDenied as an IAM policy
 * without the action would, `html404` answers an HTML "404 Not Found" as an endpoint (a proxy, a
 * LocalStack-like emulator) that does not implement the call, `badToken` answers as AWS does to a
 * revoked or unknown access key. All three name IAM actions such as
 * "lambda:ListProvisionedConcurrencyConfigs"; "lambda:*" matches every call of a service.
 */
export const CallPolicy = z.object({
  deny: z.array(z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9*]+$/, "an IAM action such as lambda:ListTags")).default([]),
  html404: z.array(z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9*]+$/, "an IAM action such as lambda:ListTags")).default([]),
  badToken: z.array(z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9*]+$/, "an IAM action such as lambda:ListTags")).default([]),
});
export type CallPolicy = z.infer<typeof CallPolicy>;

// The IAM prefix of a service whose SigV4 signing name differs from it.
const IAM_PREFIX: Record<string, string> = { monitoring: "cloudwatch" };

/** The IAM action of an operation of the service with this signing name. */
export function iamAction(signingName: string, operation: string): string {
  return `${IAM_PREFIX[signingName] ?? signingName}:${operation}`;
}

function matches(patterns: readonly string[], action: string): boolean {
  const service = action.slice(0, action.indexOf(":"));
  return patterns.some((p) => p === action || p === `${service}:*`);
}

export type CallRefusal = "deny" | "html404" | "badToken" | null;

export function refusalFor(policy: CallPolicy, action: string): CallRefusal {
  if (matches(policy.badToken, action)) return "badToken";
  if (matches(policy.deny, action)) return "deny";
  if (matches(policy.html404, action)) return "html404";
  return null;
}

/** Splits "a:B, c:D" (an environment variable or a CLI value) into actions. */
export function parseActionList(value: string | undefined): string[] {
  return (value ?? "")
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** AWS's own wording of an implicit deny, so callers can read the action back out of the message. */
export function accessDeniedMessage(action: string, accountId: string, resource: string, caller = `arn:aws:sts::${accountId}:assumed-role/osprey-readonly/osprey`): string {
  return `User: ${caller} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
}

export const HTML_404 = "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n</body>\r\n</html>\r\n";
