"use client";

import { useState } from "react";

/** A secret shown this once (a key, a password link), with a copy button: Osprey keeps only its hash. */
export function ShownOnce({ title, testId, value, onDismiss, children }: { title: string; testId: string; value: string; onDismiss: () => void; children?: React.ReactNode }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="mt-3 rounded border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-500/40 dark:bg-amber-500/10" data-testid={`${testId}-shown`} role="status">
      <p className="font-medium">{title}</p>
      {children && <p className="mt-1 text-xs text-zinc-700 dark:text-zinc-300">{children}</p>}
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <code className="break-all rounded bg-white px-2 py-1 font-mono text-xs dark:bg-zinc-900" data-testid={`${testId}-value`}>
          {value}
        </code>
        <button
          type="button"
          className="btn"
          onClick={() => {
            void navigator.clipboard?.writeText(value).then(() => setCopied(true));
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>
        <button type="button" className="btn" onClick={onDismiss}>
          Done
        </button>
      </div>
    </div>
  );
}
