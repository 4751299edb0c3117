"use client";

import { useCan } from "../auth/viewer";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "../hooks/fetch-json";
import { SandboxDrill } from "./sandbox-drill";
import { Code, ErrorState, SkeletonRows } from "../ui/states";

interface SandboxState {
  enabled: boolean;
  connected: boolean;
  fixedBy: "OSPREY_SANDBOX" | null;
  startsOnRestart: boolean;
}

const URL = "/api/v1/settings/sandbox";

export function SandboxSwitch() {
  const admin = useCan("admin");
  const qc = useQueryClient();
  const state = useQuery({ queryKey: ["settings", "sandbox"], queryFn: () => fetchJson<{ data: SandboxState }>(URL).then((r) => r.data) });
  const toggle = useMutation({
    mutationFn: (enabled: boolean) =>
      fetchJson<{ data: SandboxState }>(URL, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ enabled }) }).then((r) => r.data),
    onSuccess: (data) => {
      qc.setQueryData(["settings", "sandbox"], data);
      void qc.invalidateQueries();
    },
  });
  if (state.isPending) return <SkeletonRows rows={1} />;
  if (state.isError) return <ErrorState error={state.error} />;
  const s = toggle.data ?? state.data;
  return (
    <>
      <div className="card flex flex-wrap items-start justify-between gap-4 px-5 py-4" data-testid="sandbox-switch">
        <div className="min-w-0 max-w-2xl text-sm">
          <p id="sandbox-switch-label" className="font-medium">
            Sandbox account
          </p>
          <p id="sandbox-switch-description" className="mt-1 text-zinc-600 dark:text-zinc-400">
            A simulated AWS account with a dozen functions, for trying Osprey without one. Off removes it and its data and keeps it away after restarts; on brings it
            back with a fresh day of history.
          </p>
          {s.fixedBy && (
            <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
              Set by <Code>OSPREY_SANDBOX={s.enabled ? "on" : "off"}</Code> in Osprey&apos;s environment: unset it to use this switch.
            </p>
          )}
          {s.startsOnRestart && !s.fixedBy && (
            <p className="mt-1 text-xs text-amber-800 dark:text-amber-300" data-testid="sandbox-restart-note">
              The sandbox endpoint is not running: it starts with the next <Code>npm start</Code>.
            </p>
          )}
          {toggle.isError && <p className="mt-1 text-xs text-red-700 dark:text-red-400">Could not switch the sandbox: {toggle.error.message}</p>}
        </div>
        <button
          type="button"
          role="switch"
          aria-checked={s.enabled}
          aria-labelledby="sandbox-switch-label"
          aria-describedby="sandbox-switch-description"
          disabled={!admin || s.fixedBy !== null || toggle.isPending}
          onClick={() => toggle.mutate(!s.enabled)}
          className={`relative inline-flex h-6 w-11 shrink-0 items-center rounded-full border-2 border-transparent transition-colors focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:cursor-not-allowed disabled:opacity-60 ${
            s.enabled ? "bg-brand-600" : "bg-zinc-300 dark:bg-zinc-700"
          }`}
        >
          <span aria-hidden className={`inline-block h-5 w-5 rounded-full bg-white shadow transition-transform ${s.enabled ? "translate-x-5" : "translate-x-0"}`} />
        </button>
      </div>
      {s.connected && <SandboxDrill />}
    </>
  );
}
