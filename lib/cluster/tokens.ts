import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { EventEmitter } from "node:events";
import type { Principal } from "../auth/principal.ts";
import { RecordSchema, TOKEN_NAME, TokenError, type TokenInfo, type TokenRecord, type TokenStoreEvents } from "../auth/tokens.ts";
import { log } from "../log.ts";
import { ROLES, type Role } from "../protocol.ts";
import { keys } from "./keys.ts";
import type { Redis } from "./redis.ts";

const TOKEN_FORMAT = /^pc_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/**
 * The token store of a cluster: the same hashed records as the token file, in one Redis hash that
 * every node reads. Reads are served from memory; every
 * change is written to Redis and announced on a channel, and each node reloads on the notice, so a
 * token made on one node works on all, and a revoked one stops everywhere (its sockets dropped)
 * within a round trip.
 */
export class RedisTokenStore extends EventEmitter<TokenStoreEvents> {
  private records = new Map<string, TokenRecord>();
  private writes: Promise<void> = Promise.resolve();
  private loaded = false;
  private subscribed = false;
  /** The last write that did not reach Redis (the CLI reports it). */
  lastError: Error | null = null;

  constructor(private readonly redis: Redis) {
    super();
  }

  get size(): number {
    return this.records.size;
  }

  /** Whether the tokens were read from Redis at least once. */
  get ready(): boolean {
    return this.loaded;
  }

  /** Follows other nodes' changes (the subscriber client is shared with the cluster). */
  async subscribe(sub: Redis): Promise<void> {
    if (this.subscribed) return;
    await sub.subscribe(keys.tokensChanged, () => void this.load().catch(() => {}));
    this.subscribed = true;
  }

  /** Reads every record; emits `changed` when the set differs. */
  async load(): Promise<void> {
    if (this.loaded && (await this.redis.exists(keys.present)) === 0) {
      // Redis lost its data (restarted without persistence): put back the tokens this node held, so
      // live tokens keep working. Revocations it saw are already applied.
      const held = Object.fromEntries([...this.records].map(([id, r]) => [id, JSON.stringify(r)]));
      if (Object.keys(held).length > 0 && (await this.redis.exists(keys.tokens)) === 0) await this.redis.hSet(keys.tokens, held);
    }
    await this.redis.set(keys.present, "1", { NX: true });
    const all = await this.redis.hGetAll(keys.tokens);
    const next = new Map<string, TokenRecord>();
    for (const [id, raw] of Object.entries(all)) {
      try {
        const r = RecordSchema.safeParse(JSON.parse(raw));
        if (r.success && r.data.id === id) next.set(id, r.data);
      } catch {
        // A damaged record is skipped; the others still work.
      }
    }
    const before = JSON.stringify([...this.records.values()]);
    this.records = next;
    this.loaded = true;
    if (JSON.stringify([...next.values()]) !== before) this.emit("changed");
  }

  /** Resolves when every change made here so far is in Redis and announced. */
  settled(): Promise<void> {
    return this.writes;
  }

  list(): TokenInfo[] {
    return [...this.records.values()].map(({ hash: _hash, ...info }) => ({ ...info }));
  }

  create(opts: { name: string; role: Role; sessions?: string[] | null; expiresInMs?: number | null }): { token: string; info: TokenInfo } {
    if (!TOKEN_NAME.test(opts.name)) throw new TokenError("token name: expected letters, digits, '.', '_' or '-' (at most 64)");
    if (!ROLES.includes(opts.role)) throw new TokenError(`token role: expected one of ${ROLES.join(", ")}`);
    for (const g of opts.sessions ?? []) {
      if (!/^[A-Za-z0-9_*?-]{1,64}$/.test(g)) throw new TokenError(`token sessions: ${JSON.stringify(g)} is not a session name or glob`);
    }
    if ([...this.records.values()].some((t) => t.name === opts.name)) throw new TokenError(`a token named ${opts.name} exists already`);
    const id = randomBytes(8).toString("hex");
    const secret = randomBytes(32).toString("base64url");
    const now = new Date();
    const record: TokenRecord = {
      id,
      name: opts.name,
      role: opts.role,
      sessions: opts.sessions && opts.sessions.length > 0 ? opts.sessions : null,
      hash: digest(secret),
      createdAt: now.toISOString(),
      expiresAt: opts.expiresInMs ? new Date(now.getTime() + opts.expiresInMs).toISOString() : null,
    };
    this.records.set(id, record);
    this.write(async () => {
      await this.redis.hSet(keys.tokens, id, JSON.stringify(record));
    });
    const { hash: _hash, ...info } = record;
    return { token: `pc_${id}_${secret}`, info };
  }

  /** Revokes the token of that name, if it exists and `allowed` (the caller's reach) accepts it. */
  revoke(name: string, allowed: (t: TokenInfo) => boolean = () => true): boolean {
    const record = [...this.records.values()].find((t) => t.name === name && allowed(t));
    if (!record) return false;
    this.records.delete(record.id);
    this.write(async () => {
      await this.redis.hDel(keys.tokens, record.id);
    });
    this.emit("changed");
    return true;
  }

  verify(token: unknown): Principal | null {
    if (typeof token !== "string") return null;
    const m = TOKEN_FORMAT.exec(token);
    const record = m ? this.records.get(m[1]!) : undefined;
    if (!m || !record) return null;
    if (!timingSafeEqual(Buffer.from(record.hash, "hex"), Buffer.from(digest(m[2]!), "hex"))) return null;
    return this.principalOf(record.id);
  }

  principalOf(id: string): Principal | null {
    const r = this.records.get(id);
    const expiresAt = r?.expiresAt ? Date.parse(r.expiresAt) : null;
    if (!r || (expiresAt !== null && expiresAt <= Date.now())) return null;
    return { tokenId: r.id, name: r.name, role: r.role, sessions: r.sessions, expiresAt };
  }

  /** The file store's live reload; here the channel does that. */
  watch(): void {}

  close(): void {}

  private write(op: () => Promise<void>): void {
    this.writes = this.writes
      .then(op)
      .then(() => this.redis.publish(keys.tokensChanged, "1"))
      .then(
        () => undefined,
        (err: unknown) => {
          this.lastError = err instanceof Error ? err : new Error(String(err));
          log.error({ err: err instanceof Error ? err.message : String(err) }, "cluster: a token change did not reach redis");
        },
      );
  }
}

function digest(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}
