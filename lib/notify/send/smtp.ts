import { createHash } from "node:crypto";
import nodemailer from "nodemailer";
import type { KindConfig } from "../channel-kinds";
import type { SendOutcome } from "../policy";
import type { EmailMessage } from "../render/email";

/** Sends one message over SMTP: 5xx replies and refused logins are permanent, everything else is worth another try. */
export async function sendMail(cfg: KindConfig["email"], msg: EmailMessage, idempotencyKey: string): Promise<SendOutcome> {
  const transport = nodemailer.createTransport({
    host: cfg.host,
    port: cfg.port,
    secure: cfg.tls === "tls",
    requireTLS: cfg.tls === "starttls",
    ignoreTLS: cfg.tls === "none",
    auth: cfg.username ? { user: cfg.username, pass: cfg.password ?? "" } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  try {
    const info = await transport.sendMail({
      from: cfg.from,
      to: cfg.to,
      subject: msg.subject,
      text: msg.text,
      html: msg.html,
      // The same notice always has the same Message-ID, so a resend is recognisably the same mail.
      messageId: `<${createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 32)}@osprey.notifications>`,
      headers: { "X-Osprey-Idempotency-Key": idempotencyKey },
    });
    return { ok: true, info: `SMTP ${String(info.response ?? "accepted").slice(0, 200)}` };
  } catch (err) {
    const e = err as Error & { code?: string; responseCode?: number; response?: string };
    const permanent = e.code === "EAUTH" || e.code === "EENVELOPE" || (e.responseCode !== undefined && e.responseCode >= 500);
    return { ok: false, permanent, error: `SMTP ${e.code ?? "error"}: ${e.response ?? e.message}`.slice(0, 500) };
  } finally {
    transport.close();
  }
}
