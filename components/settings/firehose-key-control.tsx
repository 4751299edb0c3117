"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { fetchJson } from "../hooks/fetch-json";
import { ShownOnce } from "../ui/shown-once";

/** A Firehose key shown this once, with a copy button: Osprey keeps only its hash. */
export function ShownOnceKey({ value, onDismiss }: { value: string; onDismiss: () => void }) {
  return (
    <ShownOnce title="New Firehose access key: copy it now, it is not shown again." testId="firehose-key" value={value} onDismiss={onDismiss}>
      Set it as the access key of this account&apos;s Firehose HTTP endpoint destination; the previous key no longer works.
    </ShownOnce>
  );
}

export function RotateFirehoseKey({ accountId, accountName }: { accountId: number; accountName: string }) {
  const qc = useQueryClient();
  const [shown, setShown] = useState<string | null>(null);
  const rotate = useMutation({
    mutationFn: () => fetchJson<{ data: { key: string } }>(`/api/v1/accounts/${accountId}/firehose-key`, { method: "POST" }).then((r) => r.data.key),
    onSuccess: (key) => {
      setShown(key);
      void qc.invalidateQueries({ queryKey: ["accounts"] });
      void qc.invalidateQueries({ queryKey: ["audit"] });
    },
  });
  return (
    <>
      <button
        type="button"
        className="btn"
        onClick={() => {
          if (window.confirm(`Make a new Firehose key for ${accountName}? The current key stops working at once.`)) rotate.mutate();
        }}
        disabled={rotate.isPending}
      >
        {rotate.isPending ? "Rotating…" : "Rotate Firehose key"}
        <span className="sr-only"> for {accountName}</span>
      </button>
      {rotate.isError && <span className="text-sm text-red-700 dark:text-red-400">Could not rotate: {rotate.error.message}</span>}
      {shown && (
        <div className="basis-full">
          <ShownOnceKey value={shown} onDismiss={() => setShown(null)} />
        </div>
      )}
    </>
  );
}
