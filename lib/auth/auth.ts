import { EventEmitter } from "node:events";
import type { IncomingHttpHeaders } from "node:http";
import { statePath, type Config } from "../config.ts";
import { AuditLog } from "./audit.ts";
import { isSignalOnly, LOCAL_ADMIN, type Principal } from "./principal.ts";
import { RateLimiter } from "./rate-limit.ts";
import { RefusalAudit, type RefusalKind } from "./refusals.ts";
import { cookieName, pageKey, pageKeyMatches, readCookie, sessionCookie, signSession, verifySession } from "./session-cookie.ts";
import { SessionKey } from "./session-key.ts";
import { hash, SessionTable } from "./sessions.ts";
import { parseDuration, TokenStore } from "./tokens.ts";

export interface AuthEvents {
  /** Login sessions ended, by hash (logout, or pushed out by the same token's newer ones: that one; key rotation: every one, `null`). Their sockets must go. */
  "sessions-ended": [sessionHash: string | null];
}

/** Who is asking, or "limited": this address made too many bad attempts, so its credential was not even checked. */
export type Identity = Principal | null | "limited";

/** What Auth needs of a token store: the token file, or (in a cluster) lib/cluster's Redis store. */
export type Tokens = Pick<TokenStore, "size" | "list" | "create" | "revoke" | "verify" | "principalOf" | "watch" | "close"> & {
  on(event: "changed", cb: () => void): unknown;
};

/** The key that signs session cookies: this node's file, or (in a cluster) the one in Redis. */
export interface CookieKey {
  readonly key: Buffer;
  readonly id: string;
  on(event: "rotated", cb: () => void): unknown;
  watch(): void;
  close(): void;
}

/** The login sessions: this node's table, or (in a cluster) the one in Redis. */
export type LoginSessions = Pick<SessionTable, "ttl" | "size" | "open" | "use" | "cookieDue" | "end" | "endAll" | "close">;

/** A cluster's shared sign-ins: cookie key and login sessions, and the sessions other nodes ended. */
export interface SharedSignIns {
  key: CookieKey;
  sessions: LoginSessions & {
    on(event: "ended", cb: (sessionHash: string | null) => void): unknown;
    settled(): Promise<void>;
    fetch(sessionId: string): Promise<void>;
    /** Whether the token may log in once more within `perMinute`, counted cluster-wide; null when unknown. */
    mayLogIn(tokenId: string, perMinute: number): Promise<boolean | null>;
  };
}

/**
 * Authentication for HTTP and sockets: a Bearer token, a session cookie, or Socket.IO's `auth.token`.
 * With `auth.enabled: false` every request is the local admin (panecast refuses that off loopback).
 *
 * Every failed credential from an address draws on one bucket (`auth.login_failures_per_minute`):
 * wrong logins, wrong bearer tokens and forged cookies share it. A valid bearer or socket token passes
 * whatever the bucket holds (it is checked synchronously, so a parallel burst cannot outrun the limit);
 * a sign-in form is counted before its body is read and the attempt given back when it was valid.
 */
export class Auth extends EventEmitter<AuthEvents> {
  readonly enabled: boolean;
  readonly tokens: Tokens | null;
  readonly key: CookieKey | null;
  readonly sessions: LoginSessions;
  private readonly shared: SharedSignIns | null;
  readonly audit: AuditLog;
  private readonly refusals: RefusalAudit;
  private readonly config: Config;
  private readonly attempts: RateLimiter;
  /** Successful logins per token (`auth.logins_per_token_per_minute`), and their refusals' audit lines. */
  private readonly logins: RateLimiter;
  private readonly loginRefusals: RefusalAudit;

  /**
   * `tokens`: another store (a cluster's, in Redis) instead of the token file. `shared`: the
   * cluster's cookie key and login sessions (in Redis) instead of this node's state directory.
   */
  constructor(config: Config, tokens?: Tokens, shared?: SharedSignIns) {
    super();
    this.config = config;
    this.enabled = config.auth.enabled;
    this.tokens = this.enabled ? (tokens ?? new TokenStore(config.auth.tokens_path)) : null;
    this.shared = this.tokens ? (shared ?? null) : null;
    this.key = !this.tokens ? null : this.shared ? this.shared.key : new SessionKey(statePath(config.data_dir, "session.key"), this.tokens instanceof TokenStore ? this.tokens : undefined);
    this.sessions = this.shared
      ? this.shared.sessions
      : new SessionTable({
          ttlMs: parseDuration(config.auth.session_ttl),
          file: this.tokens ? statePath(config.data_dir, "sessions.json") : null,
          keyId: this.key?.id ?? "",
        });
    this.shared?.sessions.on("ended", (sessionHash) => this.emit("sessions-ended", sessionHash));
    this.audit = new AuditLog({ path: config.audit.path, maxBytes: config.audit.max_bytes, generations: config.audit.generations, logContent: config.audit.log_content });
    this.refusals = new RefusalAudit(this.audit);
    const perMinute = config.auth.login_failures_per_minute;
    this.attempts = new RateLimiter({ ratePerSecond: perMinute / 60, burst: perMinute });
    const loginsPerMinute = config.auth.logins_per_token_per_minute;
    this.logins = new RateLimiter({ ratePerSecond: loginsPerMinute / 60, burst: loginsPerMinute });
    this.loginRefusals = new RefusalAudit(this.audit, 10_000, (token, count) => ({ event: "login.limited", token, count, detail: `over ${loginsPerMinute} logins a minute` }));
    this.key?.on("rotated", () => {
      this.sessions.endAll(this.key!.id);
      this.emit("sessions-ended", null);
    });
  }

  /** Resolves when the login sessions changed so far are shared (a cluster's other nodes know them). */
  settled(): Promise<void> {
    return this.shared ? this.shared.sessions.settled() : Promise.resolve();
  }

  /**
   * Cluster: makes sure the session a correctly signed cookie names is read from Redis when this node
   * has not heard of it yet (made on another node an instant ago). Nothing to do otherwise.
   */
  async prefetch(headers: IncomingHttpHeaders): Promise<void> {
    if (!this.shared || !this.key || headers.authorization !== undefined) return;
    // Either cookie name: this only warms the session table; identify() reads the one the origin uses.
    const cookie = readCookie(headers.cookie, cookieName(true)) ?? readCookie(headers.cookie, cookieName(false));
    const check = verifySession(this.key.key, this.key.id, cookie);
    if (typeof check === "object") await this.shared.sessions.fetch(check.sessionId);
  }

  start(): void {
    this.tokens?.watch();
    this.key?.watch();
  }

  stop(): void {
    this.tokens?.close();
    this.key?.close();
    this.refusals.stop();
    this.loginRefusals.stop();
    this.sessions.close();
  }

  /**
   * On a first start with auth on and no token yet: creates an admin token and returns it (the one
   * time it is shown). Otherwise null.
   */
  bootstrapAdmin(): string | null {
    // An agent token (`panecast hooks install` before the first start) lets nobody in: not counted.
    if (!this.tokens || this.tokens.list().some((t) => t.role !== "agent")) return null;
    const { token } = this.tokens.create({ name: "admin", role: "admin" });
    this.audit.write({ event: "token.create", token: "admin", role: "admin", detail: "created on first start" });
    return token;
  }

  /**
   * The principal behind a request: the socket's `auth.token` when given, else `Authorization:
   * Bearer`, else the session cookie. A token is refused unchecked once the address is over its limit.
   * An `agent` token is nobody here: it only posts signals (see `signalSender`).
   */
  identify(headers: IncomingHttpHeaders, ip: string, socketToken?: unknown, secure = false): Identity {
    const who = this.anyIdentity(headers, ip, socketToken, secure);
    return who && who !== "limited" && isSignalOnly(who) ? null : who;
  }

  /**
   * Who may post an agent signal: an `agent` token (or an admin) by Bearer header only. Wrong tokens
   * draw on the address's attempt bucket like every other credential.
   */
  signalSender(headers: IncomingHttpHeaders, ip: string): Identity {
    if (!this.tokens) return LOCAL_ADMIN;
    const authz = headers.authorization;
    if (typeof authz !== "string" || !/^Bearer\s+/i.test(authz)) return null;
    const p = this.tryToken(authz.replace(/^Bearer\s+/i, "").trim(), ip, "bearer");
    return p === "limited" || (p && (p.role === "agent" || p.role === "admin")) ? p : null;
  }

  /**
   * Whether a request may act with this principal: one signed in by cookie must also show its
   * session's page key (see session-cookie.ts); a token is its own proof.
   */
  pageKeyOk(principal: Principal, given: unknown): boolean {
    if (!principal.sessionId || !this.key) return true;
    return pageKeyMatches(this.key.key, principal.sessionId, given);
  }

  /** The page key of a session, for the sign-in answer. */
  pageKeyOf(principal: Principal): string | null {
    return principal.sessionId && this.key ? pageKey(this.key.key, principal.sessionId) : null;
  }

  private anyIdentity(headers: IncomingHttpHeaders, ip: string, socketToken: unknown, secure: boolean): Identity {
    if (!this.tokens) return LOCAL_ADMIN;
    if (socketToken !== undefined) return this.tryToken(socketToken, ip, "socket");
    const authz = headers.authorization;
    if (typeof authz === "string" && /^Bearer\s+/i.test(authz)) return this.tryToken(authz.replace(/^Bearer\s+/i, "").trim(), ip, "bearer");
    return this.fromCookie(headers, ip, secure);
  }

  /** Takes one attempt from the address's bucket; false when it is empty (then answer 429). */
  beginAttempt(ip: string): boolean {
    if (this.attempts.take(`ip:${ip}`)) return true;
    this.refusals.refused(ip, "login");
    return false;
  }

  /**
   * A login attempt counted by `beginAttempt` (`counted`: false when the bucket was empty and only a
   * valid token goes on): on success the Set-Cookie value (and the attempt given back); a failure is
   * audited. A valid token past `auth.logins_per_token_per_minute` gets "limited" (no session; one
   * audit line per token a minute, with the count): in a cluster counted in Redis over every node in
   * the minute, else (or while Redis is away) by this node. Past `auth.max_sessions_per_token` the
   * token's least recently used session ends (signing in on a new device works; the forgotten one is out).
   */
  async login(token: unknown, ip: string, secure: boolean, counted = true): Promise<{ principal: Principal; cookie: string } | "limited" | null> {
    if (!this.tokens || !this.key) {
      this.attempts.refund(`ip:${ip}`);
      return { principal: LOCAL_ADMIN, cookie: "" };
    }
    const verified = this.tokens.verify(token);
    const principal = verified && isSignalOnly(verified) ? null : verified;
    if (!principal) {
      this.refusals.refused(ip, "login");
      return null;
    }
    if (counted) this.attempts.refund(`ip:${ip}`);
    if (!(await this.mayLogIn(principal.tokenId))) {
      this.loginRefusals.refused(principal.name, "login");
      return "limited";
    }
    const { id: sessionId, ended } = this.sessions.open(principal.tokenId, this.config.auth.max_sessions_per_token);
    this.audit.write({ event: "login", token: principal.name, role: principal.role, remote: ip, ...(ended.length > 0 ? { detail: `ended ${ended.length} older session${ended.length === 1 ? "" : "s"} of this token` } : {}) });
    for (const h of ended) this.emit("sessions-ended", h);
    return { principal: { ...principal, sessionId }, cookie: this.cookieFor(principal.tokenId, sessionId, secure) };
  }

  private async mayLogIn(tokenId: string): Promise<boolean> {
    const cluster = this.shared ? await this.shared.sessions.mayLogIn(tokenId, this.config.auth.logins_per_token_per_minute) : null;
    return cluster ?? this.logins.take(`token:${tokenId}`);
  }

  /** Ends the request's login session (if it came with one) and returns the Set-Cookie that clears it. */
  logout(principal: Principal | null, ip: string, secure: boolean): string {
    if (principal) {
      this.audit.write({ event: "logout", token: principal.name, role: principal.role, remote: ip });
      if (principal.sessionId && this.sessions.end(principal.sessionId)) this.emit("sessions-ended", hash(principal.sessionId));
    }
    return sessionCookie("", { path: this.cookiePath(), secure, maxAgeSec: 0 });
  }

  /** A Set-Cookie that gives the browser's cookie a fresh Max-Age while the session is in use, at most hourly. */
  renewal(principal: Principal, secure: boolean): string | null {
    if (!principal.sessionId || !this.sessions.cookieDue(principal.sessionId)) return null;
    return this.cookieFor(principal.tokenId, principal.sessionId, secure);
  }

  /**
   * A token is checked first (a hash and a constant-time compare, no await), and a valid one always
   * passes: the bucket limits failures, not successes, so others' bad attempts from the same address
   * (a shared NAT, or an X-Forwarded-For anyone can forge) never lock out a valid token.
   */
  private tryToken(token: unknown, ip: string, kind: RefusalKind): Identity {
    const principal = this.tokens!.verify(token);
    if (principal) return principal;
    this.refusals.refused(ip, kind);
    return this.attempts.take(`ip:${ip}`) ? null : "limited";
  }

  private fromCookie(headers: IncomingHttpHeaders, ip: string, secure: boolean): Principal | null {
    const key = this.key!;
    const check = verifySession(key.key, key.id, readCookie(headers.cookie, cookieName(secure)));
    if (check === "stale") return null;
    if (check === "forged") {
      // Only a cookie that could have passed (this key's id) counts as a guess.
      this.attempts.take(`ip:${ip}`);
      this.refusals.refused(ip, "cookie");
      return null;
    }
    const principal = this.tokens!.principalOf(check.tokenId);
    if (!principal || !this.sessions.use(check.sessionId, check.tokenId)) return null;
    return { ...principal, sessionId: check.sessionId };
  }

  private cookieFor(tokenId: string, sessionId: string, secure: boolean): string {
    const value = signSession(this.key!.key, this.key!.id, tokenId, sessionId);
    return sessionCookie(value, { path: this.cookiePath(), secure, maxAgeSec: Math.floor(this.sessions.ttl / 1000) });
  }

  /** The base path itself ("/panecast" covers "/panecast" and "/panecast/…"; Next serves the root without a slash). */
  private cookiePath(): string {
    return this.config.server.base_path || "/";
  }
}
