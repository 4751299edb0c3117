import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface Received {
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
  at: number;
}

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** stops listening (a receiver that is down) */
  stop(): Promise<void>;
  /** listens again on the same port */
  start(): Promise<void>;
}

type Reply = (r: Received, res: ServerResponse) => void;

/** A node:http server on loopback standing in for Slack, PagerDuty or a webhook consumer. */
export async function startReceiver(reply: Reply, port = 0): Promise<Receiver> {
  let server: Server | undefined;
  const received: Received[] = [];
  const listen = (p: number) =>
    new Promise<number>((resolve, reject) => {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          const r = { path: req.url ?? "/", headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
          received.push(r);
          reply(r, res);
        });
      });
      server.once("error", reject);
      server.listen(p, "127.0.0.1", () => resolve((server!.address() as AddressInfo).port));
    });
  const actual = await listen(port);
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    received,
    stop: () =>
      new Promise<void>((resolve) => {
        if (!server) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
        server = undefined;
      }),
    start: async () => {
      await listen(actual);
    },
  };
}

/**
 * What a webhook consumer does with Osprey's signature, written from the README's description and
 * not from Osprey's code: recompute HMAC-SHA256 over "<t>.<raw body>", compare in constant time,
 * refuse a timestamp more than five minutes away.
 */
export function verifyOspreySignature(body: string, header: string | undefined, secret: string, nowMs = Date.now()): boolean {
  const parts = Object.fromEntries((header ?? "").split(",").map((kv) => kv.split("=", 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isFinite(t) || Math.abs(nowMs / 1000 - t) > 300 || !parts.v1) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest();
  const given = Buffer.from(parts.v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

export interface SmtpReceiver {
  port: number;
  /** Each mail accepted, with the user who signed in to send it. */
  mails: { user: string | null; mail: ParsedMail }[];
  stop(): Promise<void>;
}

/** A real SMTP server (smtp-server) on loopback that accepts mail only after a login as `user` with `password`, without TLS. */
export async function startSmtpReceiver(user: string, password: string): Promise<SmtpReceiver> {
  const mails: SmtpReceiver["mails"] = [];
  const smtp = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth: (a, _s, cb) => (a.username === user && a.password === password ? cb(null, { user: a.username }) : cb(new Error("Invalid username or password"))),
    onData: (stream, session, cb) => {
      simpleParser(stream)
        .then((mail) => {
          mails.push({ user: session.user ? String(session.user) : null, mail });
          cb();
        })
        .catch(cb);
    },
  });
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", r));
  const port = ((smtp.server as Server).address() as AddressInfo).port;
  return { port, mails, stop: () => new Promise<void>((r) => smtp.close(() => r())) };
}
