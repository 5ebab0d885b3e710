import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Security headers for every response, and a strict Content-Security-Policy with a fresh nonce per
 * page. The pages' handler (lib/web/pages.ts) reads it from the response's header and puts it on the
 * page's scripts (under `npm run dev`, Next.js reads it from the request's), so no inline script runs
 * without it. Inline style attributes stay allowed: the pane view colours spans
 * with them, and React escapes everything it renders.
 */
export function applySecurityHeaders(req: IncomingMessage, res: ServerResponse, secure: boolean, remoteImages = false): void {
  const nonce = randomBytes(16).toString("base64");
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self' 'unsafe-inline'",
    // Images from other sites only with docs.allow_remote_images (dashboards render them then).
    `img-src 'self' data:${remoteImages ? " https:" : ""}`,
    "font-src 'self'",
    // The service worker (public/sw.js): 'strict-dynamic' above would not let 'self' load it.
    "worker-src 'self'",
    "manifest-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join("; ");
  req.headers["content-security-policy"] = csp;
  res.setHeader("Content-Security-Policy", csp);
  res.setHeader("X-Content-Type-Options", "nosniff");
  // same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on form posts, which
  // would defeat the Origin check of the no-JavaScript login form.
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
  if (secure) res.setHeader("Strict-Transport-Security", "max-age=31536000");
}
