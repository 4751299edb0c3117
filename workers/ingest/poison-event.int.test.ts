import { beforeAll, describe, expect, it } from "vitest";
import { sandboxWorld } from "../../test/sandbox-world";
import { pullLogs } from "./logs";

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const LOOKBACK = 40 * 60_000;
const REGION = "us-east-1";

const w = sandboxWorld({ seed: 13, now: () => NOW, backfillMs: LOOKBACK, regions: [REGION] });
let group: string;
let poison: { eventId: string; message: string; logStreamName: string; timestamp: number };
let expectedIds: string[];

beforeAll(async () => {
  // The busiest function's log group, and one event in the middle of it that Postgres will refuse:
  // a constraint stands in for any row-level refusal the sanitiser cannot prevent.
  const groups = w.sandbox.workload
    .listFunctions(REGION)
    .map((f) => ({ group: f.logGroupName, events: w.sandbox.workload.logEvents(f.logGroupName, REGION, NOW - LOOKBACK, NOW + 1) }))
    .sort((a, b) => b.events.length - a.events.length);
  group = groups[0].group;
  const events = groups[0].events;
  poison = events[Math.floor(events.length / 2)];
  // What FilterLogEvents shows at NOW: events CloudWatch has ingested by then.
  expectedIds = events.filter((e) => e.ingestionTime <= NOW && e.eventId !== poison.eventId).map((e) => e.eventId).sort();
  await w.db.query(`ALTER TABLE log_events ADD CONSTRAINT test_poison CHECK (event_id <> '${poison.eventId}')`);
}, 120_000);

async function tableCounts() {
  const { rows } = await w.db.query(
    `SELECT (SELECT count(*) FROM invocations)::int AS invocations, (SELECT count(*) FROM log_events)::int AS log_events,
            (SELECT coalesce(sum(invocations), 0) FROM rollup_minute)::int AS rolled, (SELECT coalesce(sum(count), 0) FROM error_groups)::int AS errors,
            (SELECT count(*) FROM quarantined_events)::int AS quarantined`,
  );
  return rows[0];
}

describe("a poison event in a chunk", () => {
  it("lands every other event, quarantines exactly that one with its reason, and moves the cursor", async () => {
    const result = await pullLogs(w.db, w.account, REGION, { now: NOW, lookbackMs: LOOKBACK, eventsPerCommit: 300 });
    expect(result.problems).toEqual([]);
    expect(result.counts.quarantined).toBe(1);

    const { rows: stored } = await w.db.query(
      "SELECT e.event_id FROM log_events e JOIN resources r ON r.id = e.resource_id WHERE r.config->>'logGroup' = $1 ORDER BY e.event_id",
      [group],
    );
    expect(stored.map((r) => r.event_id)).toEqual(expectedIds);

    const { rows: q } = await w.db.query("SELECT account_id, region, log_group, event_id, event_ts_ms, log_stream, message, reason, sqlstate, seen_count FROM quarantined_events");
    expect(q).toEqual([
      {
        account_id: w.account.id,
        region: REGION,
        log_group: group,
        event_id: poison.eventId,
        event_ts_ms: poison.timestamp,
        log_stream: poison.logStreamName,
        message: poison.message,
        reason: expect.stringContaining("test_poison"),
        sqlstate: "23514",
        seen_count: 1,
      },
    ]);

    const { rows: cursor } = await w.db.query("SELECT position::float8 AS position FROM ingest_cursors WHERE job = 'logs' AND key = $1", [group]);
    expect(cursor[0].position).toBe(NOW);
  });

  it("a second pass over the same window doubles nothing and quarantines nothing more", async () => {
    const before = await tableCounts();
    await w.db.query("DELETE FROM ingest_cursors");
    const again = await pullLogs(w.db, w.account, REGION, { now: NOW, lookbackMs: LOOKBACK, eventsPerCommit: 300 });
    expect(again.problems).toEqual([]);
    expect(again.counts.logEventsNew).toBe(0);
    expect(again.counts.invocationsNew).toBe(0);
    expect(again.counts.invocationsUpdated).toBe(0);
    expect(again.counts.quarantined).toBe(0);
    expect(await tableCounts()).toEqual(before);
  });
});
