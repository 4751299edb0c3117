"use client";

import { useState } from "react";
import { LiveTail } from "../search/live-tail";
import { Section } from "../ui/section";

/** The function page's live tail: off until asked for, since while it runs Osprey reads the log group every few seconds. */
export function LiveTailSection({ resourceId, name }: { resourceId: number; name: string }) {
  const [on, setOn] = useState(false);
  return (
    <Section
      title="Live tail"
      testId="live-tail-section"
      action={
        <button type="button" className={on ? "btn" : "btn-primary"} aria-expanded={on} onClick={() => setOn((o) => !o)}>
          {on ? "Stop live tail" : "Start live tail"}
        </button>
      }
    >
      {on ? (
        <LiveTail key={resourceId} resourceIds={[resourceId]} label={name} />
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">New log lines of this function as they happen, within a few seconds, with pause and a filter.</p>
      )}
    </Section>
  );
}
