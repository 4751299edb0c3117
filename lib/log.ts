import pino from "pino";
import { env } from "./env";

// Credentials and keys never reach the logs, whatever object is logged.
const REDACT = [
  "*.secretAccessKey",
  "*.sessionToken",
  "*.externalId",
  "*.accessKey",
  "*.password",
  "*.authorization",
  "*.headers.authorization",
  "*.headers[\"x-amz-firehose-access-key\"]",
];

export const log = pino({
  level: env().LOG_LEVEL,
  base: { pid: process.pid },
  redact: { paths: REDACT, censor: "[redacted]" },
});

export function childLog(component: string) {
  return log.child({ component });
}
