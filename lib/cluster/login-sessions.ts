import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { LRUCache } from "lru-cache";
import { z } from "zod";
import { cookieRefreshDue, hash, SessionsByToken } from "../auth/sessions.ts";
import { log } from "../log.ts";
import { keys } from "./keys.ts";
import type { Redis } from "./redis.ts";

interface Session {
  tokenId: string;
  expiresAt: number;
  cookieAt: number;
  /** When this node last wrote the renewed expiry to Redis. */
  writtenAt: number;
}

const Stored = z.object({ tokenId: z.string().regex(/^[0-9a-f]{16}$/), expiresAt: z.number() });
const HASH = /^[0-9a-f]{64}$/;

export interface ClusterSessionEvents {
  /** Sessions ended on another node (logout or pushed out: one, by its hash; key rotation: all, null). */
  ended: [sessionHash: string | null];
}

/**
 * The login sessions of a cluster, so a session made on one node works on every node and a logout
 * anywhere ends it everywhere: one Redis hash (`panecast:sessions`, field = SHA-256 of the session id,
 * so Redis never holds an id that would work as a cookie), mirrored in memory on each node (reads
 * stay synchronous) and kept in step by notices on a channel. Renewals (sliding expiry) are written
 * at most once a minute per session. Bounded: at most `max` sessions; expired ones are pruned on load.
 */
export class ClusterSessionTable extends EventEmitter<ClusterSessionEvents> {
  private readonly lru: LRUCache<string, Session>;
  private readonly byToken = new SessionsByToken();
  /** Session ids this node has seen, by hash (memory only): a remote logout closes their sockets here. */
  private readonly seen: LRUCache<string, string>;
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly ttlMs: number,
    private readonly max = 10_000,
  ) {
    super();
    this.lru = new LRUCache<string, Session>({ max, ...this.byToken.hooks });
    this.seen = new LRUCache({ max });
  }

  get ttl(): number {
    return this.ttlMs;
  }

  get size(): number {
    return this.lru.size;
  }

  /** Follows the other nodes' logins and logouts. */
  async subscribe(sub: Redis): Promise<void> {
    await sub.subscribe(keys.sessionsChanged, (msg) => void this.onNotice(msg));
  }

  /** Reads every session (on start and whenever Redis comes back), pruning the expired ones. */
  async load(): Promise<void> {
    const all = await this.redis.hGetAll(keys.sessions);
    const now = Date.now();
    const live: Array<[string, z.infer<typeof Stored>]> = [];
    const dead: string[] = [];
    for (const [h, raw] of Object.entries(all)) {
      const s = HASH.test(h) ? parse(raw) : null;
      if (s && s.expiresAt > now) live.push([h, s]);
      else dead.push(h);
    }
    live.sort((x, y) => x[1].expiresAt - y[1].expiresAt);
    // Past the bound, the sessions that would expire first go (as the LRU would drop them).
    dead.push(...live.splice(0, Math.max(0, live.length - this.max)).map(([h]) => h));
    if (dead.length > 0) await this.redis.hDel(keys.sessions, dead);
    const held = new Map(this.lru.entries());
    this.lru.clear();
    for (const [h, s] of live) this.lru.set(h, { tokenId: s.tokenId, expiresAt: Math.min(s.expiresAt, now + this.ttlMs), cookieAt: held.get(h)?.cookieAt ?? now, writtenAt: now });
    for (const h of held.keys()) if (!this.lru.has(h)) this.endedElsewhere(h);
  }

  /** Resolves when every change made here so far is in Redis and announced. */
  settled(): Promise<void> {
    return this.writes;
  }

  /**
   * A new session; past `perToken` sessions of the token (counted in this node's mirror of every
   * node's sessions) its least recently used ones end everywhere, their hashes in `ended`.
   */
  open(tokenId: string, perToken = Infinity): { id: string; ended: string[] } {
    const ended = this.byToken.overLimit(tokenId, perToken);
    for (const h of ended) {
      this.lru.delete(h);
      this.seen.delete(h);
      this.write(() => this.redis.hDel(keys.sessions, h), `e ${h}`);
    }
    const id = randomBytes(16).toString("base64url");
    const h = hash(id);
    const now = Date.now();
    const s: Session = { tokenId, expiresAt: now + this.ttlMs, cookieAt: now, writtenAt: now };
    this.lru.set(h, s);
    this.seen.set(h, id);
    this.write(() => this.redis.hSet(keys.sessions, h, JSON.stringify({ tokenId, expiresAt: s.expiresAt })), `o ${h}`);
    return { id, ended };
  }

  use(id: string, tokenId: string): boolean {
    const h = hash(id);
    const s = this.lru.get(h);
    const now = Date.now();
    // Not here yet (made on another node an instant ago, its notice still on the way): read it, so
    // the client's retry finds it. Only a correctly signed cookie gets this far.
    if (!s) void this.fetchHash(h);
    if (!s || s.tokenId !== tokenId) return false;
    if (s.expiresAt <= now) {
      this.lru.delete(h);
      return false;
    }
    this.seen.set(h, id);
    s.expiresAt = now + this.ttlMs;
    this.byToken.touch(tokenId, h);
    if (now - s.writtenAt > 60_000) {
      s.writtenAt = now;
      this.write(() => this.redis.hSet(keys.sessions, h, JSON.stringify({ tokenId, expiresAt: s.expiresAt })), null);
    }
    return true;
  }

  /**
   * Whether the token may log in once more within `perMinute`, counted on every node together: a
   * counter per minute in Redis, the last minute's weighted by how much of it is still in the last
   * 60 s (a sliding window, so a burst across a minute's boundary is no bigger). A refused login is
   * not counted. null when Redis cannot say (then the node counts on its own).
   */
  async mayLogIn(tokenId: string, perMinute: number): Promise<boolean | null> {
    if (!this.redis.isReady) return null;
    const now = Date.now();
    const minute = Math.floor(now / 60_000);
    const key = keys.logins(tokenId, minute);
    try {
      const [count, , before] = await this.redis.multi().incr(key).pExpire(key, 120_000).get(keys.logins(tokenId, minute - 1)).exec();
      const left = 1 - (now % 60_000) / 60_000;
      if (Number(count) + Number(before ?? 0) * left <= perMinute) return true;
      await this.redis.decr(key);
      return false;
    } catch {
      return null;
    }
  }

  cookieDue(id: string): boolean {
    return cookieRefreshDue(this.lru.peek(hash(id)), this.ttlMs);
  }

  end(id: string): boolean {
    const h = hash(id);
    const ended = this.lru.delete(h);
    this.seen.delete(h);
    // Written even when this node did not hold it (another node may): a logout must end it everywhere.
    this.write(() => this.redis.hDel(keys.sessions, h), `e ${h}`);
    return ended;
  }

  /** Every session ends (the cluster's cookie key was rotated). */
  endAll(): void {
    this.lru.clear();
    this.seen.clear();
    this.write(() => this.redis.del(keys.sessions), "a");
  }

  close(): void {}

  private async onNotice(msg: string): Promise<void> {
    const [kind, h] = msg.split(" ");
    if (kind === "a") {
      if (this.lru.size === 0) return;
      this.lru.clear();
      this.seen.clear();
      this.emit("ended", null);
      return;
    }
    if (!h || !HASH.test(h)) return;
    if (kind === "e") return this.endedElsewhere(h);
    if (kind === "o") await this.fetchHash(h);
  }

  /** Reads one session from Redis unless held (a cookie from another node's login, just made). */
  fetch(sessionId: string): Promise<void> {
    return this.fetchHash(hash(sessionId));
  }

  private async fetchHash(h: string): Promise<void> {
    if (this.lru.has(h) || !this.redis.isReady) return;
    const s = parse((await this.redis.hGet(keys.sessions, h).catch(() => null)) ?? "");
    const now = Date.now();
    if (s && s.expiresAt > now && !this.lru.has(h)) this.lru.set(h, { tokenId: s.tokenId, expiresAt: s.expiresAt, cookieAt: now, writtenAt: now });
  }

  private endedElsewhere(h: string): void {
    this.lru.delete(h);
    const served = this.seen.has(h);
    this.seen.delete(h);
    if (served) this.emit("ended", h);
  }

  private write(op: () => Promise<unknown>, notice: string | null): void {
    this.writes = this.writes
      .then(op)
      .then(() => (notice ? this.redis.publish(keys.sessionsChanged, notice) : 0))
      .then(
        () => undefined,
        (err: unknown) => log.error({ err: err instanceof Error ? err.message : String(err) }, "cluster: a login session change did not reach redis"),
      );
  }
}

function parse(raw: string): z.infer<typeof Stored> | null {
  try {
    const r = Stored.safeParse(JSON.parse(raw));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
