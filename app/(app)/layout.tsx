import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { ViewerProvider } from "@/components/auth/viewer";
import { AppShell } from "@/components/layout/app-shell";
import { sessionPrincipalOf } from "@/lib/auth/session";
import { signInPath } from "@/lib/auth/next-path";

// Every page but /sign-in and /setup: only for a signed-in user (proxy.ts redirects requests without a cookie
// before they get here; this also catches an expired or revoked session).
export const dynamic = "force-dynamic";

export default async function SignedInLayout({ children }: { children: React.ReactNode }) {
  const h = await headers();
  const principal = await sessionPrincipalOf(h);
  if (!principal) redirect(signInPath(h.get("x-osprey-path")));
  const viewer = { name: principal.name, email: principal.email, role: principal.role };
  return (
    <ViewerProvider viewer={viewer}>
      <AppShell viewer={viewer}>{children}</AppShell>
    </ViewerProvider>
  );
}
