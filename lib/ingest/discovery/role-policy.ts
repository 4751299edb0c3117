// What Osprey keeps of a function role's IAM policies: the Allow statements that grant wildcard actions or
// every resource, never the whole documents. IAM answers GetRolePolicy and GetPolicyVersion with the document
// URL-encoded (RFC 3986); a statement's Action, NotAction, Resource and NotResource are a string or an array.

/** How wide a statement's actions reach: every action, every action of a service, or a prefix ("s3:Get*"). */
export type WildcardLevel = "all" | "service" | "partial" | "none";

export interface WildcardStatement {
  /** The inline policy's name, or the managed policy's ARN. */
  policy: string;
  /** The statement's Sid, or its position ("#2") when it has none. */
  statement: string;
  /** The actions with a wildcard ("*", "dynamodb:*", "s3:Get*"); with NotAction, every action it does not name. */
  actions: string[];
  /** The statement uses NotAction: it allows everything except what it names. */
  notAction: boolean;
  /** Resource "*" or NotResource: every resource (but the excluded ones). */
  anyResource: boolean;
  /** The resources it names (NotResource ones prefixed "not "), at most a few. */
  resources: string[];
  level: WildcardLevel;
}

interface Statement {
  Sid?: unknown;
  Effect?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
}

const MAX_RESOURCES = 5;

const list = (v: unknown): string[] => (typeof v === "string" ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** A policy document as IAM returns it (URL-encoded) or as written (plain JSON); null when it is neither. */
export function parsePolicyDocument(document: string | undefined): { Statement?: unknown } | null {
  if (!document) return null;
  const trimmed = document.trim();
  let text = trimmed;
  if (!trimmed.startsWith("{")) {
    try {
      text = decodeURIComponent(trimmed);
    } catch {
      return null;
    }
  }
  try {
    const doc = JSON.parse(text) as unknown;
    return doc && typeof doc === "object" && !Array.isArray(doc) ? (doc as { Statement?: unknown }) : null;
  } catch {
    return null;
  }
}

/** The reach of one action pattern: "*" every action, "s3:*" a whole service, "s3:Get*" a prefix. */
export function actionLevel(action: string): WildcardLevel {
  if (action === "*") return "all";
  const colon = action.indexOf(":");
  const name = colon < 0 ? action : action.slice(colon + 1);
  if (name === "*") return "service";
  return name.includes("*") || name.includes("?") ? "partial" : "none";
}

const RANK: Record<WildcardLevel, number> = { none: 0, partial: 1, service: 2, all: 3 };

/**
 * The Allow statements of a policy document that grant a wildcard action (or NotAction) or any resource.
 * Deny statements only take permissions away and are left out.
 */
export function wildcardStatements(policy: string, document: string | undefined): WildcardStatement[] {
  const doc = parsePolicyDocument(document);
  if (!doc) return [];
  const statements = (Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : []) as Statement[];
  const out: WildcardStatement[] = [];
  statements.forEach((st, i) => {
    if (!st || typeof st !== "object" || st.Effect !== "Allow") return;
    const notAction = st.NotAction !== undefined;
    const actions = notAction ? list(st.NotAction) : list(st.Action);
    const notResource = st.NotResource !== undefined;
    const resources = notResource ? list(st.NotResource) : list(st.Resource);
    const anyResource = notResource || resources.includes("*");
    // NotAction allows every action it does not name: as wide as "*", less what it excludes.
    const level = notAction ? "all" : actions.reduce<WildcardLevel>((lv, a) => (RANK[actionLevel(a)] > RANK[lv] ? actionLevel(a) : lv), "none");
    if (level === "none" && !anyResource) return;
    out.push({
      policy,
      statement: typeof st.Sid === "string" && st.Sid ? st.Sid : `#${i + 1}`,
      actions: notAction ? actions.map((a) => `not ${a}`) : actions.filter((a) => actionLevel(a) !== "none"),
      notAction,
      anyResource,
      resources: (notResource ? resources.map((r) => `not ${r}`) : resources).slice(0, MAX_RESOURCES),
      level,
    });
  });
  return out;
}

/** The services a statement's wildcard actions cover ("dynamodb:*" -> dynamodb), for the advice. */
export function servicesOf(actions: readonly string[]): string[] {
  return [...new Set(actions.filter((a) => !a.startsWith("not ") && a.includes(":")).map((a) => a.slice(0, a.indexOf(":"))))].sort();
}
