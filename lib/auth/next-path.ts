/**
 * Where to go after signing in: a path on this site, or "/". The one check for the HTML form (the
 * server's 303) and the JavaScript sign-in (window.location), so neither can become an open redirect.
 *
 * Browsers read `//host`, `/\host` and `\\host` as another site, strip tabs and newlines from URLs,
 * and some decode `%5C` or `%2F` before they look; so the check is an allow-list of plain path
 * characters, applied to the value and to its percent-decoded form, and the result must still resolve
 * to this origin. Anything else (schemes, whitespace, control characters, `.`/`..` segments) is "/".
 */
const PATH_CHARS = /^[A-Za-z0-9/_.~%?=&+,:@!$'()*;-]*$/;
const PROBE_ORIGIN = "http://next.invalid";

export function safeNext(next: unknown): string {
  if (typeof next !== "string" || next.length === 0 || next.length > 2048) return "/";
  let decoded: string;
  try {
    decoded = decodeURIComponent(next);
  } catch {
    return "/";
  }
  for (const s of [next, decoded]) {
    if (!PATH_CHARS.test(s)) return "/";
    if (!s.startsWith("/") || s.startsWith("//")) return "/";
    const path = s.split("?")[0]!;
    if (path.split("/").some((seg) => seg === "." || seg === "..")) return "/";
  }
  let url: URL;
  try {
    url = new URL(next, PROBE_ORIGIN);
  } catch {
    return "/";
  }
  return url.origin === PROBE_ORIGIN ? next : "/";
}
