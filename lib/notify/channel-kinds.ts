import { z } from "zod";

/**
 * The kinds of channel and what each needs. Every field is either configuration (shown by the API)
 * or a secret (stored apart, never shown in full, never logged): SECRET_FIELDS names the secrets.
 */
export const CHANNEL_KINDS = ["slack", "email", "webhook", "pagerduty", "sns"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), "must be an http(s) URL");

const email = z.string().trim().max(254).email();

/** At most this many messages a minute; a burst beyond it is folded into one digest message. */
export const RateLimit = z.coerce.number().int().min(1).max(600);
export const DEFAULT_RATE_LIMIT = 10;

export const PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";

const common = { rateLimitPerMinute: RateLimit.default(DEFAULT_RATE_LIMIT) };

export const SlackConfig = z.object({ ...common, webhookUrl: httpUrl.meta({ description: "Slack incoming webhook URL (secret)" }) });
export const EmailConfig = z.object({
  ...common,
  host: z.string().trim().min(1).max(253),
  port: z.coerce.number().int().min(1).max(65535).default(587),
  tls: z.enum(["starttls", "tls", "none"]).default("starttls").meta({ description: "starttls: upgrade after connecting (port 587); tls: TLS from the start (465); none: plain (a relay on this machine)" }),
  username: z.string().max(320).nullish(),
  password: z.string().max(1000).nullish().meta({ description: "SMTP password (secret)" }),
  from: email,
  to: z.array(email).min(1).max(50),
});
export const WebhookConfig = z.object({
  ...common,
  url: httpUrl,
  signingSecret: z.string().min(16, "at least 16 characters").max(512).meta({ description: "HMAC-SHA256 key for X-Osprey-Signature (secret)" }),
});
export const PagerDutyConfig = z.object({
  routingKey: z.string().trim().regex(/^[A-Za-z0-9]{32}$/, "must be the 32-character integration (routing) key").meta({ description: "Events API v2 integration key (secret)" }),
  eventsUrl: httpUrl.default(PAGERDUTY_EVENTS_URL).meta({ description: "Events API v2 endpoint (the EU service region uses https://events.eu.pagerduty.com/v2/enqueue)" }),
});
export const SnsConfig = z.object({
  ...common,
  topicArn: z.string().trim().regex(/^arn:aws[a-z-]*:sns:[a-z]{2}(-gov)?-[a-z]+-\d:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/, "must be an SNS topic ARN"),
  accountId: z.coerce.number().int().positive().nullish().meta({ description: "Osprey account whose credentials publish (default: the workers' own AWS credentials)" }),
});

export const KIND_CONFIG = { slack: SlackConfig, email: EmailConfig, webhook: WebhookConfig, pagerduty: PagerDutyConfig, sns: SnsConfig } as const;
export type KindConfig = { [K in ChannelKind]: z.infer<(typeof KIND_CONFIG)[K]> };
export type ChannelConfig = KindConfig[ChannelKind];

export const SECRET_FIELDS: { [K in ChannelKind]: readonly (keyof KindConfig[K] & string)[] } = {
  slack: ["webhookUrl"],
  email: ["password"],
  webhook: ["signingSecret"],
  pagerduty: ["routingKey"],
  sns: [],
};

export const secretFields = (kind: ChannelKind): readonly string[] => SECRET_FIELDS[kind];

/** PagerDuty events must each keep their own dedup key (trigger, acknowledge and resolve of one incident), so they are never folded. */
export const foldsBursts = (kind: ChannelKind) => kind !== "pagerduty";

/** What a person may see of a secret: its last four characters, and nothing of a short one. */
export function maskSecret(value: string | null | undefined): string | null {
  if (!value) return null;
  return value.length >= 16 ? `…${value.slice(-4)}` : "…";
}

/** Splits a validated config into the fields shown and the secrets kept apart. */
export function splitSecrets(kind: ChannelKind, config: Record<string, unknown>): { config: Record<string, unknown>; secrets: Record<string, string> } {
  const names = secretFields(kind);
  const shown: Record<string, unknown> = {};
  const secrets: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) {
    if (names.includes(k)) {
      if (typeof v === "string" && v !== "") secrets[k] = v;
    } else if (v !== undefined) shown[k] = v;
  }
  return { config: shown, secrets };
}

/** One line saying where a channel sends, with secrets masked. */
export function describeTarget(kind: ChannelKind, config: Record<string, unknown>, secrets: Record<string, string>): string {
  switch (kind) {
    case "slack":
      return `Slack webhook ${maskSecret(secrets.webhookUrl) ?? "(not set)"}`;
    case "email":
      return `${(config.to as string[] | undefined)?.join(", ") ?? ""} via ${String(config.host)}:${String(config.port)}`;
    case "webhook": {
      const u = safeUrl(String(config.url));
      return u ? `POST ${u.origin}${u.pathname}` : "POST (invalid URL)";
    }
    case "pagerduty":
      return `PagerDuty routing key ${maskSecret(secrets.routingKey) ?? "(not set)"}`;
    case "sns":
      return `SNS ${String(config.topicArn)}`;
  }
}

function safeUrl(s: string): URL | null {
  try {
    return new URL(s);
  } catch {
    return null;
  }
}
