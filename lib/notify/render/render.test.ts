import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { makeNotice } from "@/test/notices";
import { makeDigest } from "../payload";
import { renderEmail } from "./email";
import { renderPagerDuty } from "./pagerduty";
import { renderSlack } from "./slack";
import { renderSns } from "./sns";
import { renderWebhook } from "./webhook";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("Slack Block Kit", () => {
  it("shows header, severity, value against threshold, window, top error with its frame, and the three links as buttons", () => {
    const msg = renderSlack(makeNotice());
    expect(msg.text).toBe("[CRITICAL] Opened: checkout: error rate 12.5% ≥ 5% over the last 10 min (40 invocations)");
    const [header, facts, error, actions] = msg.blocks as Json[];
    expect(header).toMatchObject({ type: "header", text: { type: "plain_text" } });
    const fields = facts.fields.map((f: Json) => f.text).join("\n");
    // As the pages format a rate (components/format.ts), so the message and the page it links to read the same.
    expect(fields).toContain("13% (threshold 5.0%)");
    expect(fields).toContain("last 10 min");
    expect(fields).toContain("checkout (lambda, us-east-1, prod)");
    expect(error.text.text).toContain("TypeError: Cannot read properties of undefined (reading 'total') &lt;script&gt;");
    expect(error.text.text).toContain("at handler (/var/task/index.js:12:5)");
    expect(actions.elements.map((b: Json) => [b.text.text, b.url])).toEqual([
      ["Open incident", "http://osprey.test/incidents/4242"],
      ["Failing invocations", "http://osprey.test/functions/31?errors=1&from=2026-11-22T09%3A05%3A00.000Z&to=2026-11-22T09%3A15%3A00.000Z"],
      ["Logs", "http://osprey.test/search?q=level%3AERROR&resource=31&from=2026-11-22T09%3A05%3A00.000Z&to=2026-11-22T09%3A15%3A00.000Z"],
    ]);
  });

  it("keeps to Block Kit's limits with long text", () => {
    const msg = renderSlack(makeNotice({ title: "x".repeat(5000), topError: { groupId: 1, errorType: "E", message: "m".repeat(10_000), topFrame: "f".repeat(5000) } }));
    const blocks = msg.blocks as Json[];
    expect(blocks[0].text.text.length).toBeLessThanOrEqual(150);
    for (const f of blocks[1].fields) expect(f.text.length).toBeLessThanOrEqual(2000);
    expect(blocks[1].fields.length).toBeLessThanOrEqual(10);
    expect(blocks[2].text.text.length).toBeLessThanOrEqual(3000);
    expect(msg.text.length).toBeLessThanOrEqual(3000);
  });

  it("lists a digest's notices with links, within 50 blocks", () => {
    const notices = Array.from({ length: 60 }, (_, i) => makeNotice({ incidentId: i + 1, title: `fn-${i}: errors` }));
    const msg = renderSlack(makeDigest(notices, Date.now()));
    expect(msg.text).toBe("60 Osprey notifications");
    expect(msg.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(msg.blocks)).toContain("<http://osprey.test/incidents/1|[CRITICAL] Opened: fn-0: errors>");
    expect(JSON.stringify(msg.blocks)).toContain("…and 40 more");
  });
});

describe("e-mail", () => {
  it("has a subject, a plain text part and an HTML part with every value escaped", () => {
    const m = renderEmail(makeNotice());
    expect(m.subject).toBe("[Osprey] [CRITICAL] Opened: checkout: error rate 12.5% ≥ 5% over the last 10 min (40 invocations)");
    expect(m.text).toContain("Open incident: http://osprey.test/incidents/4242");
    expect(m.text).toContain("(reading 'total') <script>");
    expect(m.html).not.toContain("<script>");
    expect(m.html).toContain("&lt;script&gt;");
    expect(m.html).toContain('href="http://osprey.test/functions/31?errors=1&amp;from=2026-11-22T09%3A05%3A00.000Z&amp;to=2026-11-22T09%3A15%3A00.000Z"');
  });

  it("never puts a line break in the subject", () => {
    expect(renderEmail(makeNotice({ title: "a\r\nBcc: victim@example.com" })).subject).not.toMatch(/[\r\n]/);
  });
});

describe("webhook", () => {
  it("signs t.body with HMAC-SHA256 so a receiver can verify it, and carries the idempotency key", () => {
    const now = Date.UTC(2026, 11, 2, 12, 0, 5);
    const req = renderWebhook(makeNotice(), { idempotencyKey: "4242:opened:1:3", notificationId: 17, secret: "whsec_0123456789abcdef", now });
    const t = Math.floor(now / 1000);
    expect(req.headers["x-osprey-timestamp"]).toBe(String(t));
    const expected = createHmac("sha256", "whsec_0123456789abcdef").update(`${t}.${req.body}`).digest("hex");
    expect(req.headers["x-osprey-signature"]).toBe(`t=${t},v1=${expected}`);
    expect(req.headers["x-osprey-idempotency-key"]).toBe("4242:opened:1:3");
    const body = JSON.parse(req.body);
    expect(body).toMatchObject({ type: "incident.opened", idempotencyKey: "4242:opened:1:3", notificationId: 17, notice: { incidentId: 4242, severity: "critical" } });
  });
});

describe("PagerDuty Events API v2", () => {
  it("triggers with the incident as dedup key, summary, severity, source, details and links; resolves and acknowledges by the same key", () => {
    const trigger = renderPagerDuty(makeNotice(), { routingKey: "R".repeat(32), idempotencyKey: "k" });
    expect(trigger).toMatchObject({
      routing_key: "R".repeat(32),
      event_action: "trigger",
      dedup_key: "osprey-incident-4242",
      payload: { severity: "critical", source: "arn:aws:lambda:us-east-1:123456789012:function:checkout", component: "checkout", group: "prod", class: "error_rate" },
      client: "Osprey",
      client_url: "http://osprey.test/incidents/4242",
    });
    expect(trigger.payload?.custom_details["Top error"]).toContain("TypeError");
    expect(trigger.links?.map((l) => l.text)).toEqual(["Open incident", "Failing invocations", "Logs"]);
    expect(renderPagerDuty(makeNotice({ event: "resolved" }), { routingKey: "R".repeat(32), idempotencyKey: "k2" })).toEqual({ routing_key: "R".repeat(32), event_action: "resolve", dedup_key: "osprey-incident-4242" });
    expect(renderPagerDuty(makeNotice({ event: "acknowledged" }), { routingKey: "R".repeat(32), idempotencyKey: "k3" }).event_action).toBe("acknowledge");
    expect(renderPagerDuty(makeNotice({ title: "t".repeat(2000) }), { routingKey: "R".repeat(32), idempotencyKey: "k" }).payload?.summary.length).toBe(1024);
  });
});

describe("SNS", () => {
  it("keeps the subject ASCII and under 100 characters, sends text by default and the notice as JSON to queues and endpoints", () => {
    const m = renderSns(makeNotice({ title: "checkout ≥ 5 % ".repeat(20) }), { topicArn: "arn:aws:sns:us-east-1:123456789012:alerts", idempotencyKey: "k" });
    expect(m.Subject.length).toBeLessThan(100);
    expect(m.Subject).toMatch(/^[\x20-\x7e]+$/);
    const per = JSON.parse(m.Message);
    expect(per.default).toContain("Open incident: http://osprey.test/incidents/4242");
    expect(JSON.parse(per.sqs)).toMatchObject({ type: "incident.opened", notice: { incidentId: 4242 } });
    expect(m.MessageAttributes["osprey.severity"].StringValue).toBe("critical");
    expect(m.MessageDeduplicationId).toBeUndefined();
  });

  it("gives a FIFO topic a group and the idempotency key as deduplication id", () => {
    const m = renderSns(makeNotice(), { topicArn: "arn:aws:sns:us-east-1:123456789012:alerts.fifo", idempotencyKey: "4242:opened:1:3" });
    expect(m.MessageGroupId).toBe("incident-4242");
    expect(m.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("the top error group in every message", () => {
  const topError = { groupId: 9, errorType: "TypeError", message: "Cannot read properties of undefined (reading 'total')", topFrame: "handler (/var/task/index.js:12:5)", url: "http://osprey.test/errors/9" };
  const notice = makeNotice({ topError });

  it("Slack: a Top error section with message, type, top frame and a link to the group, and a button to it", () => {
    const blocks = renderSlack(notice).blocks as Json[];
    const section = blocks.find((b) => b.type === "section" && String(b.text?.text).startsWith("*Top error*"))!;
    expect(section.text.text).toContain("<http://osprey.test/errors/9|error group #9>");
    expect(section.text.text).toContain("TypeError: Cannot read properties of undefined (reading 'total')");
    expect(section.text.text).toContain("at handler (/var/task/index.js:12:5)");
    const buttons = blocks.find((b) => b.type === "actions")!.elements.map((b: Json) => [b.text.text, b.url]);
    expect(buttons).toContainEqual(["Error group", "http://osprey.test/errors/9"]);
  });

  it("e-mail: the text part and the HTML part name the error and link the group", () => {
    const m = renderEmail(notice);
    expect(m.text).toMatch(/Top error: +TypeError: Cannot read properties of undefined \(reading 'total'\)\n +at handler \(\/var\/task\/index\.js:12:5\)/);
    expect(m.text).toContain("Error group: http://osprey.test/errors/9");
    expect(m.html).toContain('<a href="http://osprey.test/errors/9" style="font-weight:400">error group #9</a>');
    expect(m.html).toContain("at handler (/var/task/index.js:12:5)");
  });

  it("webhook: a topError field with the group id, type, message, top frame and link; null when the window had no error", () => {
    const body = JSON.parse(renderWebhook(notice, { idempotencyKey: "k", notificationId: 1, secret: "s".repeat(16), now: Date.now() }).body);
    expect(body.topError).toEqual(topError);
    expect(JSON.parse(renderWebhook(makeNotice({ topError: null }), { idempotencyKey: "k", notificationId: 1, secret: "s".repeat(16), now: Date.now() }).body).topError).toBeNull();
  });

  it("PagerDuty: custom_details carry the error and its group's link, and the link list has it", () => {
    const e = renderPagerDuty(notice, { routingKey: "R".repeat(32), idempotencyKey: "k" });
    expect(e.payload?.custom_details).toMatchObject({ "Top error": "TypeError: Cannot read properties of undefined (reading 'total')\nat handler (/var/task/index.js:12:5)", "Top error group": "http://osprey.test/errors/9" });
    expect(e.links).toContainEqual({ href: "http://osprey.test/errors/9", text: "Error group" });
  });

  it("SNS: the text message shows the error and the link; the JSON message carries the notice's topError", () => {
    const per = JSON.parse(renderSns(notice, { topicArn: "arn:aws:sns:us-east-1:123456789012:alerts", idempotencyKey: "k" }).Message);
    expect(per.default).toContain("TypeError: Cannot read properties of undefined (reading 'total')");
    expect(per.default).toContain("Error group: http://osprey.test/errors/9");
    expect(JSON.parse(per.sqs).notice.topError).toEqual(topError);
  });
});
