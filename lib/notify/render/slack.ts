import type { IncidentNotice } from "@/lib/analysis/alerts/notice";
import { isDigest, type OutboxPayload } from "../payload";
import { EVENT_LABEL, facts, headline, links, topErrorLines, truncate } from "./common";

// Block Kit limits (Slack's block reference): header text 150, section text 3000, section fields
// at most 10 of 2000 each, button text 75 and URL 3000, context elements 10, 50 blocks a message.
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const FIELD_MAX = 2000;
const BUTTON_TEXT_MAX = 75;
const URL_MAX = 3000;
const MAX_BLOCKS = 50;
const DIGEST_LINES = 20;

type Block = Record<string, unknown>;
export interface SlackMessage {
  /** The notification and fallback text. */
  text: string;
  blocks: Block[];
}

const EMOJI = { critical: ":red_circle:", warning: ":large_orange_circle:", info: ":large_blue_circle:" } as const;

/** mrkdwn treats &, < and > as control characters. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const plain = (text: string, max: number) => ({ type: "plain_text", text: truncate(text, max), emoji: true });
const md = (text: string, max: number) => ({ type: "mrkdwn", text: truncate(text, max) });

function linkButtons(n: IncidentNotice): Block | null {
  const l = links(n).filter((x) => x.url.length <= URL_MAX);
  if (!l.length) return null;
  return {
    type: "actions",
    elements: l.map((x, i) => ({
      type: "button",
      action_id: `osprey_link_${i}`,
      text: plain(x.label, BUTTON_TEXT_MAX),
      url: x.url,
      ...(i === 0 && n.event !== "resolved" ? { style: n.severity === "critical" ? "danger" : "primary" } : {}),
    })),
  };
}

function noticeBlocks(n: IncidentNotice): Block[] {
  if (n.event === "test") {
    const buttons = linkButtons(n);
    return [
      { type: "header", text: plain("Osprey test notification", HEADER_MAX) },
      { type: "section", text: md(`${escapeMrkdwn(n.title)}\nThis channel is set up: alerts will arrive here, with buttons like these into Osprey.`, SECTION_MAX) },
      ...(buttons ? [buttons] : []),
    ];
  }
  const blocks: Block[] = [
    { type: "header", text: plain(`${EVENT_LABEL[n.event]}: ${n.title}`, HEADER_MAX) },
    {
      type: "section",
      fields: facts(n)
        .slice(0, 10)
        .map((f) => md(`*${escapeMrkdwn(f.label)}*\n${f.label === "Severity" ? `${EMOJI[n.severity]} ` : ""}${escapeMrkdwn(f.value)}`, FIELD_MAX)),
    },
  ];
  const err = topErrorLines(n);
  if (err.length) {
    const url = n.topError?.url && n.topError.url.length <= URL_MAX ? n.topError.url : null;
    // The link goes first so a long message cut at the section limit keeps it.
    const title = url ? `*Top error* · <${url}|error group #${n.topError!.groupId}>` : "*Top error*";
    blocks.push({ type: "section", text: md(`${title}\n\`\`\`${escapeMrkdwn(err.join("\n"))}\`\`\``, SECTION_MAX) });
  }
  const buttons = linkButtons(n);
  if (buttons) blocks.push(buttons);
  blocks.push({ type: "context", elements: [md(`Osprey${n.incidentId !== null ? ` · incident #${n.incidentId}` : ""} · ${escapeMrkdwn(headline(n))}`, SECTION_MAX)] });
  return blocks;
}

/** An incoming-webhook message: header, severity, value against threshold, window, top error, and link buttons. */
export function renderSlack(p: OutboxPayload): SlackMessage {
  if (!isDigest(p)) return { text: truncate(headline(p), SECTION_MAX), blocks: noticeBlocks(p) };
  const shown = p.notices.slice(0, DIGEST_LINES);
  const lines = shown.map((n) => {
    const text = escapeMrkdwn(truncate(headline(n), 300));
    return n.links.incident ? `• <${n.links.incident}|${text}>` : `• ${text}`;
  });
  const more = p.total - shown.length;
  const blocks: Block[] = [
    { type: "header", text: plain(`${p.total} Osprey notifications`, HEADER_MAX) },
    { type: "section", text: md(escapeMrkdwn(p.title), SECTION_MAX) },
  ];
  // One section per few lines keeps each under the section limit.
  for (let i = 0; i < lines.length; i += 5) blocks.push({ type: "section", text: md(lines.slice(i, i + 5).join("\n"), SECTION_MAX) });
  if (more > 0) blocks.push({ type: "context", elements: [md(`…and ${more} more: see Incidents in Osprey.`, SECTION_MAX)] });
  return { text: `${p.total} Osprey notifications`, blocks: blocks.slice(0, MAX_BLOCKS) };
}
