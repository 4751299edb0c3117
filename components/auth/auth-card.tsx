/** The frame of the pages a person sees before signing in. */
export function AuthCard({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main id="main" className="flex min-h-screen items-center justify-center px-4">
      <div className="card w-full max-w-sm p-6">
        <div className="mb-5 flex items-center gap-2 text-lg font-semibold tracking-tight">
          <span aria-hidden className="inline-block h-6 w-6 rounded-md bg-gradient-to-br from-brand-500 to-sky-400" />
          Osprey
        </div>
        <h1 className="mb-4 text-base font-semibold">{title}</h1>
        {children}
      </div>
    </main>
  );
}

export function AuthField({ id, label, hint, children }: { id: string; label: string; hint?: string; children: React.ReactNode }) {
  return (
    <div className="mb-3">
      <label htmlFor={id} className="mb-1 block text-sm font-medium">
        {label}
      </label>
      {children}
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
          {hint}
        </p>
      )}
    </div>
  );
}

/** What went wrong, if anything, and the submit button. */
export function AuthSubmit({ error, pending, label, pendingLabel }: { error: string | null; pending: boolean; label: string; pendingLabel: string }) {
  return (
    <>
      {error && (
        <p role="alert" className="mb-3 text-sm text-red-700 dark:text-red-400" data-testid="form-error">
          {error}
        </p>
      )}
      <button type="submit" className="btn-primary w-full" disabled={pending}>
        {pending ? pendingLabel : label}
      </button>
    </>
  );
}
