"use client";

import { useState } from "react";

/**
 * "Remove" (or "Delete") that asks once more, with what goes named on the confirming button and,
 * when given, a note of what goes with it.
 */
export function ConfirmRemove({
  name,
  confirmLabel,
  pending,
  onConfirm,
  verb = "Remove",
  note,
}: {
  name: string;
  confirmLabel: string;
  pending: boolean;
  onConfirm: () => void;
  verb?: "Remove" | "Delete" | "Revoke";
  note?: string;
}) {
  const [confirming, setConfirming] = useState(false);
  const doing = verb.replace(/e$/, "ing");
  return confirming ? (
    <span className="flex items-center gap-2" role="group" aria-label={`Confirm ${doing.toLowerCase()} ${name}`}>
      {note && <span className="text-sm">{note}</span>}
      <button type="button" className="rounded-md bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-700" onClick={onConfirm} disabled={pending} autoFocus>
        {pending ? `${doing}…` : confirmLabel}
      </button>
      <button type="button" className="btn" onClick={() => setConfirming(false)}>
        Cancel
      </button>
    </span>
  ) : (
    <button type="button" className="btn" onClick={() => setConfirming(true)}>
      {verb}
      <span className="sr-only"> {name}</span>
    </button>
  );
}
