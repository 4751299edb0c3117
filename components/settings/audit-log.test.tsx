import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { AuditEventView } from "@/lib/api/schemas/audit";
import { AuditTable } from "./audit-log";
import { ShownOnceKey } from "./firehose-key-control";

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/\s+/g, " ");
const at = "2026-12-02T10:00:00.000Z";
const entry = (over: Partial<AuditEventView>): AuditEventView => ({ id: 1, at, actor: "local", action: "channel.changed", target: { kind: "channel", id: "3", name: "ops" }, detail: null, ip: null, ...over });

describe("AuditTable", () => {
  it("says who did what to which target, with what changed and never more", () => {
    const out = text(
      renderToStaticMarkup(
        <AuditTable
          events={[
            entry({ id: 3, detail: { changed: ["name", "webhookUrl"], from: "old" }, ip: "203.0.113.7" }),
            entry({ id: 2, action: "account.firehose_key_rotated", target: { kind: "account", id: "1", name: "prod" }, detail: { hint: "…wxyz" } }),
            entry({ id: 1, actor: "local (cli)", action: "secrets.key_rotated", target: { kind: "secrets", id: "ab12cd34", name: "Secret key" }, detail: { from: ["00ff00ff"], to: "ab12cd34", values: 5 } }),
          ]}
        />,
      ),
    );
    expect(out).toContain("local (203.0.113.7) Channel changed ops #3 changed name, webhookUrl");
    expect(out).toContain("Firehose key rotated prod #1 new key …wxyz");
    expect(out).toContain("local (cli) Secret key rotated Secret key #ab12cd34 5 value(s) to key ab12cd34");
  });
});

describe("ShownOnceKey", () => {
  it("shows the whole key once, says it will not be shown again, and offers a copy button", () => {
    const key = "ofk_7_" + "k".repeat(43);
    const out = text(renderToStaticMarkup(<ShownOnceKey value={key} onDismiss={() => {}} />));
    expect(out).toContain(key);
    expect(out).toContain("it is not shown again");
    expect(out).toContain("Copy");
  });
});
