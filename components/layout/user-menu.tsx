"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { Viewer } from "../auth/viewer";

async function post(path: string): Promise<void> {
  await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
}

/** Who is signed in, and the ways out: this browser, or every session of the user. */
export function UserMenu({ viewer }: { viewer: Viewer }) {
  const [pending, setPending] = useState(false);
  const router = useRouter();
  const leave = async (everywhere: boolean) => {
    setPending(true);
    try {
      // Revoking every session includes this one; signing out also clears the cookie.
      if (everywhere) await post("/api/auth/revoke-sessions");
      await post("/api/auth/sign-out");
    } finally {
      router.replace("/sign-in");
      router.refresh();
    }
  };
  return (
    <details className="group mb-2 rounded-md border border-zinc-200 dark:border-zinc-800" data-testid="user-menu">
      <summary className="flex cursor-pointer list-none flex-col rounded-md px-2 py-1.5 hover:bg-zinc-100 dark:hover:bg-zinc-800">
        <span className="truncate text-sm font-medium">{viewer.name}</span>
        <span className="truncate text-xs text-zinc-600 dark:text-zinc-400">
          {viewer.email} · <span data-testid="user-role">{viewer.role}</span>
        </span>
      </summary>
      <div className="flex flex-col gap-0.5 border-t border-zinc-200 p-1 dark:border-zinc-800">
        <button type="button" className="rounded-md px-2 py-1.5 text-left text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800" disabled={pending} onClick={() => void leave(false)}>
          Sign out
        </button>
        <button type="button" className="rounded-md px-2 py-1.5 text-left text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800" disabled={pending} onClick={() => void leave(true)}>
          Sign out everywhere
        </button>
      </div>
    </details>
  );
}
