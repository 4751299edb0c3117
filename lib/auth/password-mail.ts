import { publicUrl } from "../env";
import { childLog } from "../log";
import { sendOspreyMail } from "../mail/osprey-mail";

/** An owner's "set your password" link lasts a day; one asked for with "Forgot password?" an hour. */
export const OWNER_LINK_HOURS = 24;
export const FORGOT_LINK_MINUTES = 60;

/** The page a password link opens (app/reset-password). */
export const passwordLinkUrl = (token: string) => `${publicUrl()}/reset-password?token=${encodeURIComponent(token)}`;

export function passwordMail(user: { name: string; email: string }, url: string, kind: "welcome" | "reset" | "forgot", minutes: number) {
  const valid = minutes >= 120 ? `${minutes / 60} hours` : `${minutes} minutes`;
  const lead =
    kind === "welcome"
      ? `You have been added to Osprey (${publicUrl()}). Set your password with this link:`
      : kind === "reset"
        ? "An owner of Osprey made you a link to set a new password:"
        : "Someone (hopefully you) asked to reset your Osprey password. Set a new one with this link:";
  return {
    to: user.email,
    subject: kind === "welcome" ? "Welcome to Osprey: set your password" : "Osprey: set a new password",
    text: `Hello ${user.name},\n\n${lead}\n\n${url}\n\nIt works once, for ${valid}. Setting a password signs you out everywhere else.${kind === "forgot" ? "\nIf you did not ask for this, ignore this mail: your password stays as it is." : ""}\n`,
  };
}

/** better-auth's sendResetPassword: mails the link without waiting, so the answer and its timing are the same for any email. */
export function sendForgotPasswordMail({ user, token }: { user: { name: string; email: string }; token: string }): Promise<void> {
  sendOspreyMail(passwordMail(user, passwordLinkUrl(token), "forgot", FORGOT_LINK_MINUTES)).catch(() => childLog("auth").warn("password reset mail not sent"));
  return Promise.resolve();
}
