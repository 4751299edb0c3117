import pino from "pino";
import { env } from "./env";

// Credentials and keys never reach the logs, whatever object is logged.
const REDACT = [
  "*.secretAccessKey",
  "*.sessionToken",
  "*.externalId",
  "*.accessKey",
  "*.firehoseKey",
  "*.password",
  "*.authorization",
  "*.headers.authorization",
  "*.headers[\"x-amz-firehose-access-key\"]",
  // Channel secrets (lib/notify/channel-kinds.ts SECRET_FIELDS), wherever a channel or its settings end up.
  ...["secrets", "settings", "webhookUrl", "signingSecret", "routingKey", "routing_key"].flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
];

export const log = pino({
  level: env().LOG_LEVEL,
  base: { pid: process.pid },
  redact: { paths: REDACT, censor: "[redacted]" },
});

export function childLog(component: string) {
  return log.child({ component });
}
