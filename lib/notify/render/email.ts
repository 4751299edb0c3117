import type { IncidentNotice } from "@/lib/analysis/alerts/notice";
import { isDigest, type OutboxPayload } from "../payload";
import { facts, headline, links, plainText, topErrorLines, truncate } from "./common";

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const oneLine = (s: string) => s.replace(/[\r\n\t]+/g, " ").trim();

const COLOR = { critical: "#b91c1c", warning: "#b45309", info: "#0369a1" } as const;
const FONT = "font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif";

function noticeHtml(n: IncidentNotice): string {
  const rows = facts(n)
    .map((f) => `<tr><th align="left" style="padding:2px 12px 2px 0;color:#52525b;font-weight:600">${escapeHtml(f.label)}</th><td style="padding:2px 0">${escapeHtml(f.value)}</td></tr>`)
    .join("");
  const err = topErrorLines(n);
  const errLink = n.topError?.url ? ` · <a href="${escapeHtml(n.topError.url)}" style="font-weight:400">error group #${n.topError.groupId}</a>` : "";
  const errHtml = err.length ? `<p style="margin:12px 0 4px;font-weight:600">Top error${errLink}</p><pre style="margin:0;padding:8px;background:#f4f4f5;white-space:pre-wrap">${escapeHtml(err.join("\n"))}</pre>` : "";
  const linkHtml = links(n)
    .map((l) => `<a href="${escapeHtml(l.url)}" style="display:inline-block;margin:0 8px 8px 0;padding:6px 12px;border:1px solid #d4d4d8;border-radius:6px;color:#0f172a;text-decoration:none">${escapeHtml(l.label)}</a>`)
    .join("");
  return `<h1 style="font-size:18px;margin:0 0 12px;color:${COLOR[n.severity]}">${escapeHtml(headline(n))}</h1><table style="border-collapse:collapse">${rows}</table>${errHtml}${linkHtml ? `<p style="margin-top:16px">${linkHtml}</p>` : ""}`;
}

const wrap = (body: string) => `<!doctype html><html><body style="${FONT};font-size:14px;color:#18181b">${body}<p style="margin-top:24px;font-size:12px;color:#71717a">Sent by Osprey.</p></body></html>`;

/** Subject, plain text and HTML (every interpolated value escaped). */
export function renderEmail(p: OutboxPayload): EmailMessage {
  if (!isDigest(p)) return { subject: truncate(oneLine(`[Osprey] ${headline(p)}`), 200), text: `${plainText(p)}\n\n-- \nSent by Osprey.`, html: wrap(noticeHtml(p)) };
  const text = [p.title, "", ...p.notices.map((n) => `- ${headline(n)}${n.links.incident ? `\n  ${n.links.incident}` : ""}`), ...(p.total > p.notices.length ? [`…and ${p.total - p.notices.length} more.`] : [])].join("\n");
  const items = p.notices.map((n) => `<li>${n.links.incident ? `<a href="${escapeHtml(n.links.incident)}">${escapeHtml(headline(n))}</a>` : escapeHtml(headline(n))}</li>`).join("");
  const more = p.total > p.notices.length ? `<p>…and ${p.total - p.notices.length} more.</p>` : "";
  return {
    subject: `[Osprey] ${p.total} notifications`,
    text: `${text}\n\n-- \nSent by Osprey.`,
    html: wrap(`<h1 style="font-size:18px;margin:0 0 12px">${p.total} Osprey notifications</h1><p>${escapeHtml(p.title)}</p><ul>${items}</ul>${more}`),
  };
}
