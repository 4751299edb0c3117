import type { IncomingMessage, ServerResponse } from "node:http";
import { isLoopback, jsonBody, NOT_JSON, reply } from "./drill";

// What deploying Osprey's onboarding template makes in an AWS account, simulated: an IAM role that
// AssumeRole grants only with the ExternalId of its trust policy, and whose credentials may call only
// the actions of its policy. The sandbox reads the template with its own code (nothing of lib/aws), so
// a template that would not work on AWS does not work here either.

export const STACKS_PATH = "/_sandbox/stacks";

export interface SandboxRole {
  name: string;
  arn: string;
  /** The ExternalId its trust policy requires, or null when it requires none. */
  externalId: string | null;
  /** IAM actions its policies allow ("service:*" allows every action of a service). */
  actions: Set<string>;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const isObject = (v: unknown): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

export class TemplateError extends Error {}

export class RoleRegistry {
  private roles = new Map<string, SandboxRole>();
  private keys = new Map<string, { role: string; session: string }>();

  constructor(private readonly accountId: string) {}

  /** Creates (or replaces) the IAM roles a CloudFormation template declares; answers each role's ARN by logical id. */
  deploy(template: unknown, parameters: Record<string, string> = {}): Record<string, string> {
    if (!isObject(template) || !isObject(template.Resources)) throw new TemplateError("not a CloudFormation template: no Resources");
    const params = isObject(template.Parameters) ? template.Parameters : {};
    const resolve = (v: Json): Json => {
      if (Array.isArray(v)) return v.map(resolve);
      if (!isObject(v)) return v;
      if (typeof v.Ref === "string" && Object.keys(v).length === 1) {
        const p = params[v.Ref];
        const value = parameters[v.Ref] ?? (isObject(p) && typeof p.Default === "string" ? p.Default : undefined);
        if (value === undefined) throw new TemplateError(`parameter ${v.Ref} has no value`);
        return value;
      }
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
    };
    const created: Record<string, string> = {};
    for (const [logicalId, res] of Object.entries(template.Resources)) {
      if (!isObject(res) || res.Type !== "AWS::IAM::Role") continue;
      const props = resolve(res.Properties ?? {});
      if (!isObject(props)) throw new TemplateError(`${logicalId}: no Properties`);
      const name = typeof props.RoleName === "string" ? props.RoleName : logicalId;
      const role: SandboxRole = { name, arn: `arn:aws:iam::${this.accountId}:role/${name}`, externalId: trustExternalId(props.AssumeRolePolicyDocument), actions: allowedActions(props.Policies) };
      this.roles.set(name, role);
      created[logicalId] = role.arn;
    }
    if (!Object.keys(created).length) throw new TemplateError("the template declares no AWS::IAM::Role");
    return created;
  }

  role(arn: string): SandboxRole | undefined {
    const name = arn.split("/").pop() ?? "";
    const role = this.roles.get(name);
    return role?.arn === arn ? role : undefined;
  }

  /** Remembers which role temporary credentials belong to. */
  issued(accessKeyId: string, roleName: string, session: string): void {
    this.keys.set(accessKeyId, { role: roleName, session });
  }

  roleOfKey(accessKeyId: string | undefined): SandboxRole | undefined {
    const key = accessKeyId ? this.keys.get(accessKeyId) : undefined;
    return key ? this.roles.get(key.role) : undefined;
  }

  sessionOfKey(accessKeyId: string | undefined): string {
    return (accessKeyId && this.keys.get(accessKeyId)?.session) || "session";
  }
}

function trustExternalId(doc: Json | undefined): string | null {
  const statements = isObject(doc) ? (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) : [];
  for (const s of statements) {
    const condition = isObject(s) && isObject(s.Condition) ? s.Condition.StringEquals : undefined;
    if (isObject(condition) && typeof condition["sts:ExternalId"] === "string") return condition["sts:ExternalId"];
  }
  return null;
}

function allowedActions(policies: Json | undefined): Set<string> {
  const out = new Set<string>();
  for (const p of Array.isArray(policies) ? policies : []) {
    const doc = isObject(p) ? p.PolicyDocument : undefined;
    const statements = isObject(doc) ? (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) : [];
    for (const s of statements) {
      if (!isObject(s) || s.Effect !== "Allow") continue;
      for (const a of Array.isArray(s.Action) ? s.Action : [s.Action]) if (typeof a === "string") out.add(a);
    }
  }
  return out;
}

/** Whether the role's policies allow an action (API Gateway's are HTTP verbs: apigateway:GET). */
export function roleAllows(role: SandboxRole, action: string, httpMethod: string): boolean {
  const service = action.slice(0, action.indexOf(":"));
  const asked = service === "apigateway" ? `apigateway:${httpMethod}` : action;
  return role.actions.has(asked) || role.actions.has(`${service}:*`) || role.actions.has("*");
}

/**
 * POST /_sandbox/stacks {template, parameters?}: "deploys" a CloudFormation template (JSON) into the
 * sandbox account, as `aws cloudformation deploy` would; answers {roles: {logicalId: arn}}.
 */
export function handleStackControl(req: IncomingMessage, res: ServerResponse, body: Buffer, roles: RoleRegistry): void {
  if (!isLoopback(req.socket.remoteAddress)) return reply(res, 403, { error: "the sandbox control endpoint answers loopback clients only" });
  if (req.method !== "POST") return reply(res, 405, { error: "use POST" });
  const json = jsonBody(res, body);
  if (json === NOT_JSON) return;
  const { template, parameters } = (isObject(json) ? json : {}) as { template?: unknown; parameters?: unknown };
  const params = isObject(parameters) ? Object.fromEntries(Object.entries(parameters).filter((e): e is [string, string] => typeof e[1] === "string")) : {};
  try {
    return reply(res, 201, { roles: roles.deploy(typeof template === "string" ? JSON.parse(template) : template, params) });
  } catch (err) {
    return reply(res, 400, { error: err instanceof TemplateError ? err.message : `the template is not JSON: ${(err as Error).message}` });
  }
}

/** Deploys a template into the sandbox running at `endpointUrl`; answers the roles' ARNs by logical id. */
export async function deployToSandbox(endpointUrl: string, template: unknown, parameters: Record<string, string>): Promise<Record<string, string>> {
  let res: Response;
  try {
    res = await fetch(new URL(STACKS_PATH, endpointUrl), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ template, parameters }), signal: AbortSignal.timeout(5000) });
  } catch (err) {
    throw new TemplateError(`the sandbox at ${endpointUrl} does not answer (${(err as Error).message})`);
  }
  const data = (await res.json().catch(() => ({}))) as { roles?: Record<string, string>; error?: string };
  if (!res.ok || !data.roles) throw new TemplateError(data.error ?? `the sandbox answered ${res.status}`);
  return data.roles;
}
