import type { Page } from "@playwright/test";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const esc = (s: string) => s.replace(/&(?!amp;|lt;|gt;)/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const dot = (colour: string) => `<span style="display:inline-block;width:0.8em;height:0.8em;border-radius:50%;background:${colour};vertical-align:-0.05em"></span>`;

/** Slack mrkdwn as Slack draws it: *bold*, `code`, ```blocks```, <url|text> links (its &amp; &lt; &gt; stay escaped). */
function mrkdwn(text: string): string {
  return text
    .replace(/```([\s\S]*?)```/g, (_, c) => `<pre>${c}</pre>`)
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, (_, u, t) => `<a href="${u}">${t}</a>`)
    .replace(/\*([^*\n]+)\*/g, "<b>$1</b>")
    .replace(/`([^`\n]+)`/g, "<code>$1</code>")
    // Drawn as dots: the machine's Chromium has no colour-emoji font.
    .replace(/:red_circle:/g, dot("#dd2e44"))
    .replace(/:large_orange_circle:/g, dot("#f4900c"))
    .replace(/:large_blue_circle:/g, dot("#55acee"))
    .replace(/\n/g, "<br>");
}

function block(b: Json): string {
  switch (b.type) {
    case "header":
      return `<h1>${esc(b.text.text)}</h1>`;
    case "section":
      return b.fields
        ? `<div class="fields">${b.fields.map((f: Json) => `<div>${mrkdwn(f.text)}</div>`).join("")}</div>`
        : `<p>${mrkdwn(b.text.text)}</p>`;
    case "actions":
      return `<div class="actions">${b.elements.map((e: Json) => `<a class="button ${e.style ?? ""}" href="${esc(e.url)}">${esc(e.text.text)}</a>`).join("")}</div>`;
    case "context":
      return `<p class="context">${b.elements.map((e: Json) => mrkdwn(e.text)).join(" ")}</p>`;
    default:
      return "";
  }
}

/**
 * Draws an incoming-webhook message the way Slack lays out Block Kit (header, two-column fields,
 * code, buttons, context), from the JSON a Slack stand-in received, and screenshots it.
 */
export async function screenshotSlackMessage(page: Page, message: { blocks: Json[] }, file: string): Promise<void> {
  await page.setContent(`<!doctype html><html><head><style>
    body{font-family:Lato,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:15px;color:#1d1c1d;margin:0;padding:16px;background:#fff;width:720px}
    .msg{display:flex;gap:8px}.avatar{width:36px;height:36px;border-radius:6px;background:#1d4ed8;color:#fff;font-weight:700;display:flex;align-items:center;justify-content:center}
    .name{font-weight:900}.app{font-size:10px;background:#ddd;border-radius:3px;padding:1px 3px;margin-left:4px;color:#555}
    h1{font-size:18px;margin:6px 0}.fields{display:grid;grid-template-columns:1fr 1fr;gap:8px 16px;margin:8px 0}
    pre{background:#f8f8f8;border:1px solid #ddd;border-radius:4px;padding:8px;font-size:12px;white-space:pre-wrap}
    code{background:#f8f8f8;border:1px solid #ddd;border-radius:3px;padding:0 3px;font-size:12px}
    .actions{display:flex;gap:8px;margin:8px 0}.button{border:1px solid #bbb;border-radius:4px;padding:4px 12px;color:#1d1c1d;text-decoration:none;font-weight:700;font-size:13px}
    .button.danger{background:#e01e5a;border-color:#e01e5a;color:#fff}.button.primary{background:#007a5a;border-color:#007a5a;color:#fff}
    .context{font-size:12px;color:#616061}a{color:#1264a3}
  </style></head><body><div class="msg" data-testid="slack-message"><div class="avatar">O</div><div><span class="name">Osprey</span><span class="app">APP</span>
  ${message.blocks.map(block).join("")}</div></div></body></html>`);
  await page.getByTestId("slack-message").screenshot({ path: file });
}
