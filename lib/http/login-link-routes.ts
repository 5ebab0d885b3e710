import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import QRCode from "qrcode";
import { z } from "zod";
import type { Auth } from "../auth/auth.ts";
import type { LoginLinks } from "../auth/login-links.ts";
import type { Principal } from "../auth/principal.ts";
import { parseDuration } from "../auth/tokens.ts";
import type { Config } from "../config.ts";
import { PanecastError, toWireError } from "../errors.ts";
import { ROLES } from "../protocol.ts";
import type { ClientInfo } from "./client-info.ts";
import { readBody, send } from "./respond.ts";

const CreateSchema = z
  .object({
    role: z.enum(ROLES).optional(),
    ttl: z.string().regex(/^\d{1,4}[mh]$/, "a duration such as 10m").optional(),
  })
  .strict();

/** How long the phone's own sign-in lasts (its token), unless its creator's ends sooner. */
const PHONE_TOKEN_MS = 30 * 86_400_000;

export interface LoginLinkDeps {
  auth: Auth;
  links: LoginLinks;
  config: Config;
  info: ClientInfo;
  principal: Principal | null;
}

/**
 * POST /api/login-links `{ role?, ttl? }` (anyone signed in): a one-time sign-in link for a phone,
 * as a URL and a QR code (SVG) of it, for `server.public_url` (else the address this request came to).
 * GET /api/login-link?code=… uses it up: a token of its own for that browser (`phone-…`, the link's
 * role and its creator's session limits, revocable like any token) and a session cookie, then the
 * page. Both audited.
 */
export async function handleLoginLinkRoute(route: string, req: IncomingMessage, res: ServerResponse, deps: LoginLinkDeps): Promise<void> {
  const { auth, links, config, info } = deps;
  const base = config.server.base_path;
  if (route === "/api/login-links") {
    if (req.method !== "POST") return send(res, 405, { error: { code: "BAD_REQUEST", message: "POST only" } }, { allow: "POST" });
    if (!deps.principal) return send(res, 401, { error: { code: "UNAUTHORIZED", message: "a valid token is required" } });
    if (!auth.tokens) return send(res, 400, { error: { code: "BAD_REQUEST", message: "sign-in links need auth on (PANECAST_AUTH)" } });
    const body = await readBody(req, 1024);
    let raw: unknown = {};
    try {
      raw = body ? JSON.parse(body) : {};
    } catch {
      return send(res, 400, { error: { code: "BAD_REQUEST", message: "a JSON body" } });
    }
    const parsed = CreateSchema.safeParse(raw);
    if (!parsed.success) return send(res, 400, { error: { code: "BAD_REQUEST", message: parsed.error.issues[0]?.message ?? "invalid body" } });
    const creator = deps.principal;
    try {
      const ttlMs = parseDuration(parsed.data.ttl ?? "10m");
      const role = parsed.data.role ?? (creator.role === "admin" ? "operator" : creator.role);
      const { code, grant } = await links.create(creator, role, ttlMs);
      const origin = config.server.public_url?.replace(/\/$/, "") ?? `${info.secure ? "https" : "http"}://${info.forwardedHost ?? req.headers.host}${base}`;
      const url = `${origin}/api/login-link?code=${code}`;
      const qr = await QRCode.toString(url, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
      auth.audit.write({ event: "login-link", token: creator.name, role: creator.role, remote: info.ip, outcome: "created", detail: `role ${role}, until ${new Date(grant.expiresAt).toISOString()}` });
      return send(res, 200, { data: { url, role, sessions: grant.sessions, expiresAt: new Date(grant.expiresAt).toISOString(), qr } });
    } catch (err) {
      const e = toWireError(err instanceof PanecastError ? err : new PanecastError("BAD_REQUEST", (err as Error).message));
      return send(res, e.code === "FORBIDDEN" ? 403 : 400, { error: e });
    }
  }
  // GET /api/login-link?code=…
  const fail = (why: string) => {
    res.writeHead(303, { location: `${base}/login?error=link`, "cache-control": "no-store" });
    res.end();
    auth.audit.write({ event: "login-link", remote: info.ip, outcome: "refused", detail: why });
  };
  const code = new URL(req.url ?? "/", "http://localhost").searchParams.get("code") ?? "";
  if (!auth.tokens || !/^[A-Za-z0-9_-]{32}$/.test(code)) return fail("malformed code");
  if (!auth.beginAttempt(info.ip)) return send(res, 429, { error: { code: "RATE_LIMITED", message: "too many failed sign-ins; try again in a minute" } }, { "retry-after": "60" });
  const grant = await links.redeem(code).catch(() => null);
  if (!grant) return fail("unknown, used or expired link");
  const life = Math.min(PHONE_TOKEN_MS, (grant.creatorExpiresAt ?? Infinity) - Date.now());
  const made = auth.tokens.create({ name: `phone-${randomBytes(4).toString("hex")}`, role: grant.role, sessions: grant.sessions, expiresInMs: Math.max(60_000, life) });
  auth.audit.write({ event: "token.create", token: made.info.name, role: made.info.role, remote: info.ip, detail: `by login link from ${grant.createdBy}` });
  const result = await auth.login(made.token, info.ip, info.secure);
  if (!result || result === "limited") return fail("the new token was refused");
  if (result.cookie) res.setHeader("Set-Cookie", result.cookie);
  // The page key rides in the fragment, as for a form sign-in: never sent to a server, kept by the page.
  const key = auth.pageKeyOf(result.principal);
  res.writeHead(303, { location: (base || "/") + (key ? `#page=${key}` : ""), "cache-control": "no-store" });
  res.end();
}
