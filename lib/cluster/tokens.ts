import { EventEmitter } from "node:events";
import type { Principal } from "../auth/principal.ts";
import { newTokenRecord, principalOfRecord, recordOfToken, RecordSchema, type NewToken, type TokenInfo, type TokenRecord, type TokenStoreEvents } from "../auth/tokens.ts";
import { log } from "../log.ts";
import { keys } from "./keys.ts";
import type { Redis } from "./redis.ts";

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

  create(opts: NewToken): { token: string; info: TokenInfo } {
    const { record, token, info } = newTokenRecord(opts, this.records.values());
    this.records.set(record.id, record);
    this.write(async () => {
      await this.redis.hSet(keys.tokens, record.id, JSON.stringify(record));
    });
    return { token, info };
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
    return principalOfRecord(recordOfToken(token, (id) => this.records.get(id)));
  }

  principalOf(id: string): Principal | null {
    return principalOfRecord(this.records.get(id));
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
