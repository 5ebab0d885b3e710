import { createHash, randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { LRUCache } from "lru-cache";
import { z } from "zod";
import { log } from "../log.ts";

interface Session {
  tokenId: string;
  /** Sliding: each use moves it to now + ttl. */
  expiresAt: number;
  /** When the browser last got the cookie (with its Max-Age), so renewing it is not sent on every request. */
  cookieAt: number;
}

const FileSchema = z.object({
  version: z.literal(1),
  /** The session key the sessions were signed for: after a rotation the file is worthless. */
  keyId: z.string(),
  sessions: z.array(z.object({ id: z.string().regex(/^[0-9a-f]{64}$/), tokenId: z.string().regex(/^[0-9a-f]{16}$/), expiresAt: z.number() })),
});

/**
 * Login sessions on the server: a session cookie names one of these, and it works only while the
 * entry exists. Logout, a key rotation or disuse for `auth.session_ttl` ends it, whatever copies of
 * the cookie exist. Bounded: past `max` sessions the least recently used one ends, and past
 * `perToken` sessions of one token (`auth.max_sessions_per_token`) that token's least recently used
 * one ends, so one token signing in again and again cannot push everyone else's sessions out.
 *
 * With a file, the table outlives restarts: it is written (atomically, mode 0600) a second after a
 * session starts or ends, at most once a minute for renewals alone, and at shutdown. It holds only
 * hashes of session ids, and sessions signed for another key are dropped on load.
 */
export class SessionTable {
  private readonly ttlMs: number;
  private readonly lru: LRUCache<string, Session>;
  private readonly byToken = new SessionsByToken();
  private readonly file: string | null;
  private keyId: string;
  private saveTimer: NodeJS.Timeout | null = null;
  private savedAt = 0;

  constructor(opts: { ttlMs: number; max?: number; file?: string | null; keyId?: string }) {
    this.ttlMs = opts.ttlMs;
    this.lru = new LRUCache<string, Session>({ max: opts.max ?? 10_000, ...this.byToken.hooks });
    this.file = opts.file ?? null;
    this.keyId = opts.keyId ?? "";
    this.load();
  }

  get ttl(): number {
    return this.ttlMs;
  }

  get size(): number {
    return this.lru.size;
  }

  /** A new session for the token; `ended`: the hashes of that token's sessions it pushed out (past `perToken`). */
  open(tokenId: string, perToken = Infinity): { id: string; ended: string[] } {
    const ended = this.byToken.overLimit(tokenId, perToken);
    for (const h of ended) this.lru.delete(h);
    const id = randomBytes(16).toString("base64url");
    const now = Date.now();
    this.lru.set(hash(id), { tokenId, expiresAt: now + this.ttlMs, cookieAt: now });
    this.schedule();
    return { id, ended };
  }

  /** Whether the session is live for that token; a live one is renewed (sliding expiry). */
  use(id: string, tokenId: string): boolean {
    const key = hash(id);
    const s = this.lru.get(key);
    const now = Date.now();
    if (!s || s.tokenId !== tokenId) return false;
    if (s.expiresAt <= now) {
      this.lru.delete(key);
      return false;
    }
    s.expiresAt = now + this.ttlMs;
    this.byToken.touch(tokenId, key);
    if (now - this.savedAt > 60_000) this.schedule();
    return true;
  }

  /** True (and noted) when the browser's copy of the cookie should get a fresh Max-Age. */
  cookieDue(id: string): boolean {
    return cookieRefreshDue(this.lru.peek(hash(id)), this.ttlMs);
  }

  end(id: string): boolean {
    const ended = this.lru.delete(hash(id));
    if (ended) this.schedule();
    return ended;
  }

  /** Ends every session; with a new key id, sessions saved from now on belong to that key. */
  endAll(keyId?: string): void {
    this.lru.clear();
    if (keyId !== undefined) this.keyId = keyId;
    this.schedule();
  }

  /** Writes what is pending now (at shutdown). */
  close(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    this.save();
  }

  private schedule(): void {
    if (!this.file || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.save();
    }, 1000);
    this.saveTimer.unref();
  }

  private save(): void {
    if (!this.file) return;
    this.savedAt = Date.now();
    const now = Date.now();
    const sessions = [...this.lru.entries()].filter(([, s]) => s.expiresAt > now).map(([id, s]) => ({ id, tokenId: s.tokenId, expiresAt: s.expiresAt }));
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      writeFileSync(tmp, `${JSON.stringify({ version: 1, keyId: this.keyId, sessions })}\n`, { mode: 0o600 });
      chmodSync(tmp, 0o600);
      renameSync(tmp, this.file);
    } catch (err) {
      log.error({ err, file: this.file }, "could not save login sessions");
    }
  }

  private load(): void {
    if (!this.file || !existsSync(this.file)) return;
    let data: z.infer<typeof FileSchema>;
    try {
      data = FileSchema.parse(JSON.parse(readFileSync(this.file, "utf8")));
    } catch {
      // Damaged: every session ends, as at a key rotation; the next save writes a good file.
      log.warn({ file: this.file }, "login session file is damaged; every session has ended");
      return;
    }
    if (data.keyId !== this.keyId) return;
    const now = Date.now();
    // Oldest expiry first, so the LRU order keeps the most recently used when there are too many.
    for (const s of data.sessions.filter((x) => x.expiresAt > now).sort((a, b) => a.expiresAt - b.expiresAt)) {
      this.lru.set(s.id, { tokenId: s.tokenId, expiresAt: Math.min(s.expiresAt, now + this.ttlMs), cookieAt: now });
    }
  }
}

/**
 * Each token's sessions (by hash), kept in step with an LRU of sessions through its `onInsert` and
 * `dispose` hooks, so bounding one token's sessions costs that token's count, not the table's.
 */
export class SessionsByToken {
  private readonly map = new Map<string, Set<string>>();

  /** The hooks for `new LRUCache({ …, ...index.hooks })`. */
  readonly hooks = {
    onInsert: (s: { tokenId: string }, h: string): void => {
      let set = this.map.get(s.tokenId);
      if (!set) this.map.set(s.tokenId, (set = new Set()));
      set.add(h);
    },
    dispose: (s: { tokenId: string }, h: string): void => {
      const set = this.map.get(s.tokenId);
      if (set?.delete(h) && set.size === 0) this.map.delete(s.tokenId);
    },
  };

  /** A session was used: it goes last in its token's order (each token's set is kept least recently used first). */
  touch(tokenId: string, h: string): void {
    const set = this.map.get(tokenId);
    if (set?.delete(h)) set.add(h);
  }

  /** The token's sessions that must end so one more fits under `perToken`, least recently used first. */
  overLimit(tokenId: string, perToken: number): string[] {
    const set = this.map.get(tokenId);
    if (!set || set.size < perToken) return [];
    return [...set].slice(0, set.size - perToken + 1);
  }
}

/** How a session id is kept: only its hash, so a copy of the table signs nobody in. */
export function hash(id: string): string {
  return createHash("sha256").update(id).digest("hex");
}

/**
 * Whether the browser's copy of a session's cookie should get a fresh Max-Age (at most hourly, and
 * at least 24 times per lifetime); notes it when so.
 */
export function cookieRefreshDue(s: { cookieAt: number } | undefined, ttlMs: number, now = Date.now()): boolean {
  if (!s || now - s.cookieAt < Math.min(3_600_000, ttlMs / 24)) return false;
  s.cookieAt = now;
  return true;
}
