// CPU time spent by the processes of a benchmark, read from /proc (Linux): on a machine other sessions
// share, wall-clock throughput is noisy, the CPU each process spent per unit of work is not. A snapshot
// sums, per group, user + system time of every process below a root (this process), and the time of
// children they already reaped (a Postgres backend that exited is counted in its postmaster's).
import { readdirSync, readFileSync } from "node:fs";

const TICK_MS = 10; // USER_HZ is 100 on Linux (getconf CLK_TCK)

interface Proc {
  pid: number;
  ppid: number;
  comm: string;
  ticks: number;
}

function readProc(pid: number): Proc | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // comm is in parentheses and may hold spaces: fields resume after the last ')'.
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const f = stat.slice(close + 2).split(" ");
    // After comm: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
    return { pid, ppid: Number(f[1]), comm, ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) };
  } catch {
    return null;
  }
}

/** A process's command line (a Postgres process shows its role there: "postgres: walwriter"), or "". */
export function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
  } catch {
    return "";
  }
}

/** CPU ms per group of the processes under `root` (itself included): classify names a process's group. */
export function cpuSnapshot(classify: (p: { pid: number; comm: string }) => string, root = process.pid): Map<string, number> {
  const procs: Proc[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    const p = readProc(Number(d));
    if (p) procs.push(p);
  }
  const children = new Map<number, Proc[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out = new Map<string, number>();
  const self = procs.find((p) => p.pid === root);
  const stack = self ? [self] : [];
  while (stack.length) {
    const p = stack.pop()!;
    const group = classify(p);
    out.set(group, (out.get(group) ?? 0) + p.ticks * TICK_MS);
    stack.push(...(children.get(p.pid) ?? []));
  }
  return out;
}

/** after − before, per group. */
export function cpuDelta(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  return new Map([...after].map(([k, v]) => [k, v - (before.get(k) ?? 0)]));
}
