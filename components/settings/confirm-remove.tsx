"use client";

import { useState } from "react";

/** "Remove" that asks once more, with what goes named on the confirming button. */
export function ConfirmRemove({ name, confirmLabel, pending, onConfirm }: { name: string; confirmLabel: string; pending: boolean; onConfirm: () => void }) {
  const [confirming, setConfirming] = useState(false);
  return confirming ? (
    <span className="flex items-center gap-2" role="group" aria-label={`Confirm removing ${name}`}>
      <button type="button" className="rounded-md bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-700" onClick={onConfirm} disabled={pending} autoFocus>
        {pending ? "Removing…" : confirmLabel}
      </button>
      <button type="button" className="btn" onClick={() => setConfirming(false)}>
        Cancel
      </button>
    </span>
  ) : (
    <button type="button" className="btn" onClick={() => setConfirming(true)}>
      Remove<span className="sr-only"> {name}</span>
    </button>
  );
}
