"use client";

import { useCan } from "../auth/viewer";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { fetchJson } from "../hooks/fetch-json";

type Kind = "timeout" | "error" | "throttle";

interface Drill {
  function: string;
  region: string;
  kind: Kind;
  startedAt: string;
  endsAt: string;
}

interface DrillState {
  running: boolean;
  functions: { name: string; region: string; runtime: string }[];
  drills: Drill[];
}

const URL = "/api/v1/sandbox/drill";
const KINDS: { value: Kind; label: string; expect: string }[] = [
  { value: "timeout", label: "Timeouts", expect: "every invocation runs to the function's timeout (REPORT with Status: timeout)" },
  { value: "error", label: "Handler errors", expect: "every invocation fails with an error and a stack trace in the logs" },
  { value: "throttle", label: "Throttles", expect: "every invocation is throttled: the Throttles metric rises and no invocations are logged" },
];

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/** "Run a fire drill": makes a sandbox function fail on demand; shown only while the sandbox runs. */
export function SandboxDrill() {
  const admin = useCan("admin");
  const qc = useQueryClient();
  const state = useQuery({ queryKey: ["sandbox", "drill"], queryFn: () => fetchJson<{ data: DrillState }>(URL).then((r) => r.data), refetchInterval: 30_000 });
  const [fn, setFn] = useState("");
  const [kind, setKind] = useState<Kind>("timeout");
  const [minutes, setMinutes] = useState(5);
  const start = useMutation({
    mutationFn: (body: { function: string; region: string; kind: Kind; minutes: number }) =>
      fetchJson<{ data: Drill }>(URL, { method: "POST", body: JSON.stringify(body) }).then((r) => r.data),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["sandbox", "drill"] }),
  });
  if (!state.data?.running) return null;
  const fns = state.data.functions;
  const chosen = fns.find((f) => `${f.region}/${f.name}` === fn) ?? fns.find((f) => f.name === "api-backend") ?? fns[0];
  if (!chosen) return null;
  const k = KINDS.find((x) => x.value === kind)!;
  return (
    <div className="card mt-4 px-5 py-4 text-sm" data-testid="sandbox-drill">
      <p id="sandbox-drill-label" className="font-medium">
        Run a fire drill
      </p>
      <p className="mt-1 max-w-2xl text-zinc-600 dark:text-zinc-400">
        Makes one sandbox function fail on purpose for a few minutes, to see an alert travel end to end: {k.expect}.{" "}
        {kind === "throttle" ? (
          <>
            The default policies watch failures, not throttles: an incident opens under a policy on Throttles (add one in{" "}
            <Link href="/alerts/new" className="underline">
              Alerts
            </Link>
            ) once the metrics pass reads them.
          </>
        ) : (
          <>
            An incident should open within about a minute of the failures arriving; see{" "}
            <Link href="/incidents" className="underline">
              Incidents
            </Link>
            .
          </>
        )}
      </p>
      <form
        className="mt-3 flex flex-wrap items-end gap-3"
        aria-labelledby="sandbox-drill-label"
        onSubmit={(e) => {
          e.preventDefault();
          start.mutate({ function: chosen.name, region: chosen.region, kind, minutes });
        }}
      >
        <label className="flex flex-col gap-1 text-xs text-zinc-600 dark:text-zinc-400">
          Function
          <select className="input" value={`${chosen.region}/${chosen.name}`} onChange={(e) => setFn(e.target.value)} data-testid="drill-function">
            {fns.map((f) => (
              <option key={`${f.region}/${f.name}`} value={`${f.region}/${f.name}`}>
                {f.name} ({f.region})
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-xs text-zinc-600 dark:text-zinc-400">
          Failure
          <select className="input" value={kind} onChange={(e) => setKind(e.target.value as Kind)} data-testid="drill-kind">
            {KINDS.map((x) => (
              <option key={x.value} value={x.value}>
                {x.label}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-xs text-zinc-600 dark:text-zinc-400">
          Minutes
          <input type="number" min={1} max={120} className="input w-20" value={minutes} onChange={(e) => setMinutes(Math.max(1, Math.min(120, Math.round(Number(e.target.value) || 1))))} data-testid="drill-minutes" />
        </label>
        <button type="submit" className="btn-primary" disabled={!admin || start.isPending} data-testid="drill-start">
          Start
        </button>
      </form>
      {start.isError && <p className="mt-2 text-xs text-red-700 dark:text-red-400">Could not start the drill: {start.error.message}</p>}
      {state.data.drills.length > 0 && (
        <ul className="mt-3 space-y-1 text-xs" data-testid="drill-running" aria-live="polite">
          {state.data.drills.map((d) => (
            <li key={`${d.region}/${d.function}/${d.startedAt}`}>
              Drill running: <span className="font-medium">{d.function}</span> ({KINDS.find((x) => x.value === d.kind)?.label.toLowerCase()}) from {time(d.startedAt)} until {time(d.endsAt)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
