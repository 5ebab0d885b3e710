/**
 * What the login page says for each `?error=` the form sign-in redirects with (lib/http/auth-routes.ts):
 * shown by the page's script, and put in the page by the server for a browser without JavaScript.
 */
export const LOGIN_MESSAGES: Readonly<Record<string, string>> = {
  token: "That token is not valid (unknown, revoked or expired).",
  rate: "Too many failed attempts from this address. Try again in a minute.",
  logins: "This token signed in too often in the last minute. Try again in a minute.",
  link: "That sign-in link is not valid: it was used already, or it expired. Make a new one.",
};

export function loginMessage(error: string | null): string | null {
  if (error === null) return null;
  return Object.hasOwn(LOGIN_MESSAGES, error) ? LOGIN_MESSAGES[error]! : "Sign-in failed.";
}
