import { topFrameOf } from "./top-frame";

export interface StackedError {
  fingerprint: string;
  timestamp: number;
  stack: readonly string[];
}

export interface GroupStackSample {
  fingerprint: string;
  topFrame: string | null;
  /** The stack's lines joined by newlines. */
  stack: string;
}

// Postgres text cannot hold NUL; a stack is for reading, so a replacement character does.
const NUL = /\u0000/g;
const MAX_STACK_CHARS = 16_000;

/**
 * Per error group, the occurrence whose stack the group shows: the earliest one with a frame of
 * the user's code, else the earliest one with any stack. Groups with no stack in the batch are left out.
 */
export function groupStackSamples(errors: readonly StackedError[]): GroupStackSample[] {
  const best = new Map<string, GroupStackSample & { timestamp: number }>();
  const ordered = [...errors].sort((a, b) => a.timestamp - b.timestamp);
  for (const e of ordered) {
    if (!e.stack.length) continue;
    const prev = best.get(e.fingerprint);
    if (prev?.topFrame) continue;
    const topFrame = topFrameOf(e.stack);
    if (prev && !topFrame) continue;
    const stack = e.stack.join("\n").replace(NUL, "\ufffd").slice(0, MAX_STACK_CHARS);
    best.set(e.fingerprint, { fingerprint: e.fingerprint, topFrame: topFrame?.replace(NUL, "\ufffd") ?? null, stack, timestamp: e.timestamp });
  }
  return [...best.values()].map(({ fingerprint, topFrame, stack }) => ({ fingerprint, topFrame, stack }));
}
