import type { JobHelpers } from "graphile-worker";
import type pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import { scheduleTask } from "./schedule";

const db = { query: async () => ({ rows: [{ id: 1, regions: ["us-east-1", "eu-west-1"] }] }) } as unknown as pg.Pool;

async function queuedAt(at: number, tickMs?: number): Promise<string[]> {
  vi.setSystemTime(at);
  const queued: string[] = [];
  const helpers = { addJob: async (_task: string, _payload: unknown, spec: { queueName: string }) => void queued.push(spec.queueName) } as unknown as JobHelpers;
  await scheduleTask(db, [{ job: "logs", everyMinutes: 1 }, { job: "metrics", everyMinutes: 2 }], tickMs)({}, helpers);
  return queued.sort();
}

afterEach(() => vi.useRealTimers());

describe("the schedule", () => {
  it("queues each account job of each region when its minutes come, and a shorter tick (OSPREY_SCHEDULE_TICK_SECONDS) stands for the minute", async () => {
    vi.useFakeTimers();
    const minute = 60_000 * 1_000_000;
    expect(await queuedAt(minute)).toEqual(["logs:1:eu-west-1", "logs:1:us-east-1", "metrics:1:eu-west-1", "metrics:1:us-east-1"]);
    expect(await queuedAt(minute + 60_000)).toEqual(["logs:1:eu-west-1", "logs:1:us-east-1"]);
    // Every 5 s a tick: the two-minute job on every second tick.
    expect(await queuedAt(minute + 5_000, 5_000)).toEqual(["logs:1:eu-west-1", "logs:1:us-east-1"]);
    expect(await queuedAt(minute + 10_000, 5_000)).toEqual(["logs:1:eu-west-1", "logs:1:us-east-1", "metrics:1:eu-west-1", "metrics:1:us-east-1"]);
  });
});
