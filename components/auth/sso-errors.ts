/** What the sign-in page says when single sign-on came back with ?error=<code> (better-auth's codes and Osprey's). */
export function ssoErrorMessage(code: string): string {
  switch (code) {
    case "sso_no_role":
      return "Your account at the identity provider is in no group that has a role in Osprey. Ask an Osprey owner to map one of your groups to a role.";
    case "account_not_linked":
    case "unable_to_link_account":
      return "An Osprey user with this e-mail already exists, and the identity provider did not confirm that the e-mail is verified, so the two were not linked.";
    case "email_not_found":
      return "The identity provider did not send an e-mail address: add the email scope, or the email claim, to Osprey's application there.";
    case "access_denied":
      return "Sign-in was cancelled at the identity provider.";
    case "state_mismatch":
    case "state_not_found":
    case "please_restart_the_process":
    case "issuer_mismatch":
    case "invalid_code":
    case "nonce_binding_missing":
      return "That sign-in could not be verified (it expired, or did not start here). Try again.";
    case "unable_to_get_user_info":
      return "The identity provider's answer could not be verified. An owner can check the issuer in Settings → Single sign-on.";
    case "oauth_provider_not_found":
      return "Single sign-on is not available right now: the identity provider could not be reached, or SSO was switched off.";
    default:
      return `Single sign-on failed (${code.slice(0, 60)}).`;
  }
}
