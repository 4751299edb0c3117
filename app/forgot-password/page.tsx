import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { ForgotPasswordForm } from "@/components/auth/password-forms";
import { mailConfigured } from "@/lib/mail/osprey-mail";

export const metadata: Metadata = { title: "Forgot password" };
export const dynamic = "force-dynamic";

// Only when Osprey can send mail (OSPREY_SMTP_URL); otherwise an owner makes the link, or `bin/osprey users reset-password`.
export default function ForgotPasswordPage() {
  if (!mailConfigured()) redirect("/sign-in");
  return (
    <AuthCard title="Forgot your password?">
      <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">Enter your email: Osprey mails you a link to set a new one.</p>
      <ForgotPasswordForm />
    </AuthCard>
  );
}
