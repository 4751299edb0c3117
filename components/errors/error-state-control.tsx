"use client";

import { useSetErrorState, type GroupState } from "./use-errors";
import { useCan } from "../auth/viewer";

export const GROUP_STATES: readonly GroupState[] = ["new", "ongoing", "regressed", "resolved", "ignored"];

export const STATE_LABEL: Record<GroupState, string> = { new: "New", ongoing: "Ongoing", regressed: "Regressed", resolved: "Resolved", ignored: "Ignored" };

export const STATE_TONE: Record<GroupState, string> = {
  new: "border-sky-300 bg-sky-50 text-sky-900 dark:border-sky-800 dark:bg-sky-500/15 dark:text-sky-200",
  ongoing: "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-500/15 dark:text-amber-200",
  regressed: "border-red-300 bg-red-50 text-red-800 dark:border-red-800 dark:bg-red-500/15 dark:text-red-200",
  resolved: "border-emerald-300 bg-emerald-50 text-emerald-800 dark:border-emerald-800 dark:bg-emerald-500/15 dark:text-emerald-200",
  ignored: "border-zinc-300 bg-zinc-100 text-zinc-700 dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
};

export function StateBadge({ state }: { state: GroupState }) {
  return <span className={`inline-block rounded-full border px-2 py-0.5 text-xs font-medium ${STATE_TONE[state]}`}>{STATE_LABEL[state]}</span>;
}

/** The group's state as a badge that is also the control to change it. */
export function ErrorStateControl({ id, state, label }: { id: number; state: GroupState; label: string }) {
  const set = useSetErrorState();
  const member = useCan("member");
  return (
    <span className="inline-flex flex-col items-start gap-1">
      <select
        aria-label={`State of ${label}`}
        data-testid="error-state"
        value={state}
        disabled={!member || set.isPending}
        onChange={(e) => set.mutate({ id, state: e.target.value as GroupState })}
        className={`cursor-pointer rounded-full border py-0.5 pl-2 pr-6 text-xs font-medium ${STATE_TONE[state]}`}
      >
        {GROUP_STATES.map((s) => (
          <option key={s} value={s} className="bg-white text-zinc-900 dark:bg-zinc-900 dark:text-zinc-100">
            {STATE_LABEL[s]}
          </option>
        ))}
      </select>
      {set.isError && (
        <span role="alert" className="text-xs text-red-700 dark:text-red-300">
          Not changed: {set.error.message}
        </span>
      )}
    </span>
  );
}
