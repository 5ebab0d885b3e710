import type { IncomingHttpHeaders } from "node:http";
import type { Config } from "../config.ts";
import { AuditLog } from "./audit.ts";
import { LOCAL_ADMIN, type Principal } from "./principal.ts";
import { RateLimiter } from "./rate-limit.ts";
import { COOKIE_NAME, readCookie, sessionCookie, signSession, verifySession } from "./session-cookie.ts";
import { TokenStore } from "./tokens.ts";

/** What Auth needs of a token store: the token file, or (in a cluster) lib/cluster's Redis store. */
export type Tokens = Pick<TokenStore, "sessionKey" | "size" | "list" | "create" | "revoke" | "verify" | "principalOf" | "watch" | "close"> & {
  on(event: "changed", cb: () => void): unknown;
};

/**
 * Authentication for HTTP and sockets: a Bearer token, a session cookie, or Socket.IO's `auth.token`.
 * With `auth.enabled: false` every request is the local admin (panecast refuses that off loopback).
 */
export class Auth {
  readonly enabled: boolean;
  readonly tokens: Tokens | null;
  readonly audit: AuditLog;
  private readonly config: Config;
  private readonly loginFailures: RateLimiter;

  constructor(config: Config, tokens?: Tokens) {
    this.config = config;
    this.enabled = config.auth.enabled;
    this.tokens = this.enabled ? (tokens ?? new TokenStore(config.auth.tokens_path)) : null;
    this.audit = new AuditLog({ path: config.audit.path, maxBytes: config.audit.max_bytes, logContent: config.audit.log_content });
    const perMinute = config.auth.login_failures_per_minute;
    this.loginFailures = new RateLimiter({ ratePerSecond: perMinute / 60, burst: perMinute });
  }

  start(): void {
    this.tokens?.watch();
  }

  stop(): void {
    this.tokens?.close();
  }

  /**
   * On a first start with auth on and no token yet: creates an admin token and returns it (the one
   * time it is shown). Otherwise null.
   */
  bootstrapAdmin(): string | null {
    if (!this.tokens || this.tokens.size > 0) return null;
    const { token } = this.tokens.create({ name: "admin", role: "admin" });
    this.audit.write({ event: "token.create", token: "admin", role: "admin", detail: "created on first start" });
    return token;
  }

  /** The principal behind request headers: `Authorization: Bearer`, else the session cookie. */
  fromHeaders(headers: IncomingHttpHeaders, socketToken?: unknown): Principal | null {
    if (!this.tokens) return LOCAL_ADMIN;
    if (socketToken !== undefined) return this.tokens.verify(socketToken);
    const authz = headers.authorization;
    if (typeof authz === "string" && /^Bearer\s+/i.test(authz)) return this.tokens.verify(authz.replace(/^Bearer\s+/i, "").trim());
    const id = verifySession(this.tokens.sessionKey, readCookie(headers.cookie, COOKIE_NAME));
    return id ? this.tokens.principalOf(id) : null;
  }

  /** Whether this IP may try another token (failed logins are rate limited). */
  mayTry(ip: string): boolean {
    return this.loginFailures.peek(`ip:${ip}`);
  }

  /** A login attempt: on success the Set-Cookie value; every attempt is audited. */
  login(token: unknown, ip: string, secure: boolean): { principal: Principal; cookie: string } | null {
    const principal = this.tokens ? this.tokens.verify(token) : LOCAL_ADMIN;
    if (!principal || !this.tokens) {
      this.loginFailures.take(`ip:${ip}`);
      this.audit.write({ event: "login.failed", remote: ip });
      if (!principal) return null;
      return { principal, cookie: "" };
    }
    const ttlMs = this.config.auth.session_ttl_hours * 3_600_000;
    const { value } = signSession(this.tokens.sessionKey, principal.tokenId, ttlMs);
    this.audit.write({ event: "login", token: principal.name, role: principal.role, remote: ip });
    return { principal, cookie: sessionCookie(value, { path: this.cookiePath(), secure, maxAgeSec: Math.floor(ttlMs / 1000) }) };
  }

  logoutCookie(secure: boolean): string {
    return sessionCookie("", { path: this.cookiePath(), secure, maxAgeSec: 0 });
  }

  /** The base path itself ("/panecast" covers "/panecast" and "/panecast/…"; Next serves the root without a slash). */
  private cookiePath(): string {
    return this.config.server.base_path || "/";
  }
}
