import nodemailer from "nodemailer";
import { env, type Env } from "../env";
import { childLog } from "../log";

/** Whether Osprey can send its own mail (OSPREY_SMTP_URL is set). */
export const mailConfigured = (e: Env = env()) => Boolean(e.OSPREY_SMTP_URL);

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  pass?: string;
  from: string;
}

/** OSPREY_SMTP_URL and OSPREY_MAIL_FROM as nodemailer wants them; null without a URL. */
export function smtpSettings(e: Env = env()): SmtpSettings | null {
  if (!e.OSPREY_SMTP_URL) return null;
  const url = new URL(e.OSPREY_SMTP_URL);
  const secure = url.protocol === "smtps:";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return {
    host,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    user: url.username ? decodeURIComponent(url.username) : undefined,
    pass: url.password ? decodeURIComponent(url.password) : undefined,
    from: e.OSPREY_MAIL_FROM ?? `Osprey <osprey@${host.includes(".") ? host : "localhost"}>`,
  };
}

export interface OspreyMail {
  to: string;
  subject: string;
  text: string;
}

/**
 * Sends one of Osprey's own mails (not an alert channel's). Throws when SMTP is not configured or the server
 * refuses it; the error names the server's answer, never the URL or its password.
 */
export async function sendOspreyMail(mail: OspreyMail, e: Env = env()): Promise<void> {
  const s = smtpSettings(e);
  if (!s) throw new Error("OSPREY_SMTP_URL is not set");
  const transport = nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.secure,
    auth: s.user ? { user: s.user, pass: s.pass ?? "" } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
    logger: false,
  });
  try {
    await transport.sendMail({ from: s.from, to: mail.to, subject: mail.subject, text: mail.text });
    childLog("mail").info({ subject: mail.subject }, "mail sent");
  } catch (err) {
    const x = err as Error & { code?: string; response?: string };
    childLog("mail").error({ code: x.code, smtp: `${s.host}:${s.port}` }, "mail not sent");
    throw new Error(`SMTP ${x.code ?? "error"}: ${x.response ?? x.message}`.slice(0, 300));
  } finally {
    transport.close();
  }
}
