import { describe, expect, it } from "vitest";
import { getReviewChecks } from "../../lib/db/review";
import { sandboxWorld } from "../../test/sandbox-world";
import { discoverAccountRegion } from "./discover";
import { evaluateAccountInsights } from "./insights";
import { pullLogs } from "./logs";

// A new account whose role lacks lambda:ListTags and logs:DescribeLogGroups from the start: discovery has no
// earlier answer to fall back on, so tags and retention hold defaults. No card may call a function untagged,
// not deployed by infrastructure as code, or without log retention on that default; the review says why it
// could not check; the first pass that reads them judges them.

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const REGION = "us-east-1";
const w = sandboxWorld({ seed: 12, now: () => NOW, backfillMs: 30 * 60_000, regions: [REGION], discover: [] });
const UNREAD_RULES = ["lambda-untagged", "lambda-not-infrastructure-as-code", "lambda-log-retention-unset"];

async function openFindings(): Promise<string[]> {
  const { rows } = await w.db.query<{ rule_id: string; name: string }>(
    "SELECT i.rule_id, r.name FROM insights i JOIN resources r ON r.id = i.resource_id WHERE i.state <> 'resolved' ORDER BY 1, 2",
  );
  return rows.map((r) => `${r.rule_id}:${r.name}`);
}

describe("a first pass denied the calls that feed a check", () => {
  it("raises no card from the defaults, and the review names the actions to grant", async () => {
    w.sandbox.setCallPolicy({ deny: ["lambda:ListTags", "logs:DescribeLogGroups"] });
    await discoverAccountRegion(w.db, w.account, REGION);
    await pullLogs(w.db, w.account, REGION, { now: NOW, lookbackMs: 30 * 60_000 });
    await evaluateAccountInsights(w.db, w.account.id, REGION, NOW);

    const found = await openFindings();
    expect(found.length).toBeGreaterThan(0);
    for (const rule of UNREAD_RULES) expect(found.filter((f) => f.startsWith(`${rule}:`)), rule).toEqual([]);

    const checks = await getReviewChecks(w.db, { account: [w.account.id], region: [REGION] }, new Date(NOW));
    const untagged = checks.find((c) => c.ruleId === "lambda-untagged")!;
    expect(untagged.status).toBe("not_checked");
    expect(untagged.missingActions.map((m) => m.action)).toEqual(["lambda:ListTags"]);
    expect(checks.find((c) => c.ruleId === "lambda-log-retention-unset")!.status).toBe("not_checked");
  }, 120_000);

  it("judges them on the first pass that reads them", async () => {
    w.sandbox.setCallPolicy({});
    await discoverAccountRegion(w.db, w.account, REGION);
    await evaluateAccountInsights(w.db, w.account.id, REGION, NOW);
    const { rows } = await w.db.query<{ n: number }>("SELECT count(*)::int AS n FROM resources WHERE kind = 'lambda' AND config ? 'unread'");
    expect(rows[0].n).toBe(0);
    // The sandbox's export-worker carries no tags at all, and nightly-report's group keeps its logs forever.
    const found = await openFindings();
    expect(found).toContain("lambda-untagged:export-worker");
    expect(found.some((f) => f.startsWith("lambda-log-retention-unset:"))).toBe(true);
  }, 120_000);
});
