/** better-auth's cookies are named osprey.* (__Secure-osprey.* over https). */
export const COOKIE_PREFIX = "osprey";
