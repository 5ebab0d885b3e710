import { randomBytes } from "node:crypto";
import { LRUCache } from "lru-cache";

interface Session {
  tokenId: string;
  /** Sliding: each use moves it to now + ttl. */
  expiresAt: number;
  /** When the browser last got the cookie (with its Max-Age), so renewing it is not sent on every request. */
  cookieAt: number;
}

/**
 * Login sessions on the server: a session cookie names one of these, and it works only while the
 * entry exists. Logout, a key rotation or disuse for `auth.session_ttl` ends it, whatever copies of
 * the cookie exist. Bounded: past `max` sessions the least recently used one ends. Held in memory,
 * so a restart ends every session too (signing in again takes one token paste or login link).
 */
export class SessionTable {
  private readonly ttlMs: number;
  private readonly lru: LRUCache<string, Session>;

  constructor(opts: { ttlMs: number; max?: number }) {
    this.ttlMs = opts.ttlMs;
    this.lru = new LRUCache({ max: opts.max ?? 10_000 });
  }

  get ttl(): number {
    return this.ttlMs;
  }

  get size(): number {
    return this.lru.size;
  }

  open(tokenId: string): string {
    const id = randomBytes(16).toString("base64url");
    const now = Date.now();
    this.lru.set(id, { tokenId, expiresAt: now + this.ttlMs, cookieAt: now });
    return id;
  }

  /** Whether the session is live for that token; a live one is renewed (sliding expiry). */
  use(id: string, tokenId: string): boolean {
    const s = this.lru.get(id);
    const now = Date.now();
    if (!s || s.tokenId !== tokenId) return false;
    if (s.expiresAt <= now) {
      this.lru.delete(id);
      return false;
    }
    s.expiresAt = now + this.ttlMs;
    return true;
  }

  /** True (and noted) when the browser's copy of the cookie should get a fresh Max-Age. */
  cookieDue(id: string): boolean {
    const s = this.lru.peek(id);
    const now = Date.now();
    if (!s || now - s.cookieAt < Math.min(3_600_000, this.ttlMs / 24)) return false;
    s.cookieAt = now;
    return true;
  }

  end(id: string): boolean {
    return this.lru.delete(id);
  }

  endAll(): void {
    this.lru.clear();
  }
}
