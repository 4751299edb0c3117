import type { AccountRow } from "@/lib/db/account-access";
import type { Channel } from "@/lib/db/notifications/channels";
import { KIND_CONFIG, secretFields, type KindConfig } from "../channel-kinds";
import { isDigest, type OutboxPayload } from "../payload";
import { scrubSecrets, type SendOutcome } from "../policy";
import { renderEmail } from "../render/email";
import { renderPagerDuty } from "../render/pagerduty";
import { renderSlack } from "../render/slack";
import { renderSns } from "../render/sns";
import { renderWebhook } from "../render/webhook";
import { postJson } from "./http";
import { sendMail } from "./smtp";
import { publishSns } from "./sns";

export interface Outgoing {
  id: number;
  idempotencyKey: string;
  payload: OutboxPayload;
}

export interface SendDeps {
  now: () => number;
  loadAccount: (id: number) => Promise<AccountRow | null>;
}

/** Renders a notification for its channel and hands it over; never throws, and no error it returns holds a secret. */
export async function sendNotification(channel: Channel, n: Outgoing, deps: SendDeps): Promise<SendOutcome> {
  const secrets = secretFields(channel.kind).map((f) => channel.settings[f]).filter((v): v is string => typeof v === "string");
  try {
    const outcome = await send(channel, n, deps);
    return outcome.ok ? outcome : { ...outcome, error: scrubSecrets(outcome.error, secrets) };
  } catch (err) {
    return { ok: false, permanent: false, error: scrubSecrets(`unexpected: ${(err as Error)?.message ?? String(err)}`, secrets) };
  }
}

async function send(channel: Channel, n: Outgoing, deps: SendDeps): Promise<SendOutcome> {
  const parsed = KIND_CONFIG[channel.kind].safeParse(channel.settings);
  if (!parsed.success) return { ok: false, permanent: true, error: `channel settings are incomplete: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}` };
  switch (channel.kind) {
    case "slack": {
      const cfg = parsed.data as KindConfig["slack"];
      return postJson(cfg.webhookUrl, JSON.stringify(renderSlack(n.payload)), { "content-type": "application/json" }, { now: deps.now });
    }
    case "webhook": {
      const cfg = parsed.data as KindConfig["webhook"];
      const req = renderWebhook(n.payload, { idempotencyKey: n.idempotencyKey, notificationId: n.id, secret: cfg.signingSecret, now: deps.now() });
      return postJson(cfg.url, req.body, req.headers, { now: deps.now });
    }
    case "pagerduty": {
      const cfg = parsed.data as KindConfig["pagerduty"];
      if (isDigest(n.payload)) return { ok: false, permanent: true, error: "PagerDuty events are never folded into a digest" };
      const event = renderPagerDuty(n.payload, { routingKey: cfg.routingKey, idempotencyKey: n.idempotencyKey });
      return postJson(cfg.eventsUrl, JSON.stringify(event), { "content-type": "application/json" }, { now: deps.now });
    }
    case "email": {
      const cfg = parsed.data as KindConfig["email"];
      return sendMail(cfg, renderEmail(n.payload), n.idempotencyKey);
    }
    case "sns": {
      const cfg = parsed.data as KindConfig["sns"];
      const account = cfg.accountId ? await deps.loadAccount(cfg.accountId) : null;
      if (cfg.accountId && !account) return { ok: false, permanent: true, error: `account ${cfg.accountId} no longer exists` };
      return publishSns(cfg.topicArn, renderSns(n.payload, { topicArn: cfg.topicArn, idempotencyKey: n.idempotencyKey }), account);
    }
  }
}
