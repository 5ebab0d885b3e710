import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Session cookies: `<keyId>.<tokenId>.<sessionId>.<hmac>`, signed with the session key
 * (lib/auth/session-key.ts). Nothing secret is in the cookie; it names a server-side session
 * (lib/auth/sessions.ts) and proves the server issued it. The key id tells a cookie signed with an
 * older key (after a rotation: stale, not an attack) from a forged one.
 */
export const COOKIE_NAME = "panecast_session";
/**
 * The name over TLS: a `__Host-` cookie is only taken with Secure, Path=/ and no Domain, so no other
 * host or plain-HTTP page can set or shadow it.
 */
export const HOST_COOKIE_NAME = `__Host-${COOKIE_NAME}`;

export function cookieName(secure: boolean): string {
  return secure ? HOST_COOKIE_NAME : COOKIE_NAME;
}


/**
 * A session's page key: cookies are not bound to a port, so every service on 127.0.0.1 receives the
 * session cookie, and could replay it. The page key is handed to the page once, in the answer to its
 * sign-in, and kept in the origin's own storage, which another port cannot read; sockets and
 * state-changing routes signed in by cookie must show it. Derived from the session, so nothing more is stored.
 */
export function pageKey(key: Buffer, sessionId: string): string {
  return mac(key, `page.${sessionId}`);
}

export function pageKeyMatches(key: Buffer, sessionId: string, given: unknown): boolean {
  if (typeof given !== "string" || given.length !== 43) return false;
  const want = Buffer.from(pageKey(key, sessionId));
  const got = Buffer.from(given);
  return want.length === got.length && timingSafeEqual(want, got);
}

export function signSession(key: Buffer, keyId: string, tokenId: string, sessionId: string): string {
  const body = `${keyId}.${tokenId}.${sessionId}`;
  return `${body}.${mac(key, body)}`;
}

export type CookieCheck = { tokenId: string; sessionId: string } | "stale" | "forged";

/**
 * What a cookie value is: a session this key signed; "stale" (malformed, an older format, or another
 * key's: it can never be accepted, so it is not a guess); or "forged" (this key's id, a wrong MAC).
 */
export function verifySession(key: Buffer, keyId: string, value: string | undefined): CookieCheck {
  if (!value || value.length > 200) return "stale";
  const m = /^([0-9a-f]{8})\.([0-9a-f]{16})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!m || m[1] !== keyId) return "stale";
  const body = `${m[1]}.${m[2]}.${m[3]}`;
  const want = Buffer.from(mac(key, body));
  const got = Buffer.from(m[4]!);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return "forged";
  return { tokenId: m[2]!, sessionId: m[3]! };
}

function mac(key: Buffer, body: string): string {
  return createHmac("sha256", key).update(body).digest("base64url");
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function sessionCookie(value: string, opts: { path: string; secure: boolean; maxAgeSec: number }): string {
  return [
    `${cookieName(opts.secure)}=${value}`,
    // __Host- requires Path=/ (the base path cannot narrow it then).
    `Path=${opts.secure ? "/" : opts.path || "/"}`,
    `Max-Age=${opts.maxAgeSec}`,
    "HttpOnly",
    "SameSite=Strict",
    ...(opts.secure ? ["Secure"] : []),
  ].join("; ");
}
