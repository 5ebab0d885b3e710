import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Session cookies: `<tokenId>.<expiresAtSec>.<nonce>.<hmac>`, signed with the key kept in the token
 * file. Nothing secret is in the cookie; it proves that its holder logged in with that token, and it
 * stops working when the token is revoked or expires, or when the cookie itself expires.
 */
export const COOKIE_NAME = "panecast_session";

export function signSession(key: Buffer, tokenId: string, ttlMs: number): { value: string; expiresAt: Date } {
  const expiresAt = new Date(Date.now() + ttlMs);
  const body = `${tokenId}.${Math.floor(expiresAt.getTime() / 1000)}.${randomBytes(9).toString("base64url")}`;
  return { value: `${body}.${mac(key, body)}`, expiresAt };
}

/** The token id a cookie was issued for, or null when it is forged, damaged or expired. */
export function verifySession(key: Buffer, value: string | undefined): string | null {
  if (!value || value.length > 200) return null;
  const m = /^([0-9a-f]{16})\.(\d{1,12})\.([A-Za-z0-9_-]{12})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!m) return null;
  const body = `${m[1]}.${m[2]}.${m[3]}`;
  const want = Buffer.from(mac(key, body));
  const got = Buffer.from(m[4]!);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
  if (Number(m[2]) * 1000 <= Date.now()) return null;
  return m[1]!;
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
    `${COOKIE_NAME}=${value}`,
    `Path=${opts.path || "/"}`,
    `Max-Age=${opts.maxAgeSec}`,
    "HttpOnly",
    "SameSite=Strict",
    ...(opts.secure ? ["Secure"] : []),
  ].join("; ");
}
