import { createHash } from "node:crypto";
import { z } from "zod";
import { log } from "../log.ts";
import { EntrySchema, MAX_SUBSCRIPTIONS, entryOf, withSubscription, type PushEntry, type PushSubscriptionJson, type PushSubscriptions } from "../notify/push-store.ts";
import type { VapidKeys } from "../notify/vapid.ts";
import { keys } from "./keys.ts";
import type { Redis } from "./redis.ts";
import type { Sealer } from "./seal.ts";

/** A subscription as stored: who, when, and the browser's endpoint and keys sealed. */
const Stored = z.object({ tokenId: z.string().max(64), createdAt: z.string().max(40), sealed: z.string().max(8192) });
const Secret = EntrySchema.pick({ endpoint: true, keys: true });
const VapidStored = z.object({ publicKey: z.string().regex(/^[A-Za-z0-9_-]{86,88}$/), privateKey: z.string().max(512) });
const FIELD = /^[0-9a-f]{64}$/;
const RESTORE_IF_EMPTY = "if redis.call('exists', KEYS[1]) == 0 then redis.call('hset', KEYS[1], unpack(ARGV)) return 1 end return 0";
const RESTORE_CHUNK = 1000;
/** Changes kept while Redis is away: twice the subscriptions one node holds at most. */
const MAX_PENDING = 2 * MAX_SUBSCRIPTIONS;

/** The Redis field of a subscription: the pair (token, endpoint), hashed (an endpoint is a capability URL). */
function fieldOf(tokenId: string, endpoint: string): string {
  return createHash("sha256").update(`${tokenId}\n${endpoint}`).digest("hex");
}

/**
 * Web Push in a cluster: every node's subscriptions and one VAPID key pair in Redis, so a browser
 * subscribed through alpha is pushed the alerts raised on beta (each node pushes the alerts of its own
 * panes to every subscription, so each alert is pushed once per cluster). Subscriptions live in one
 * hash, one field per (token, endpoint) pair; reads stay synchronous through a mirror in memory, kept
 * in step by a notice on a channel. Endpoints, browser keys and the VAPID private key are sealed
 * (lib/cluster/seal) with `cluster.secret`.
 *
 * A change made while Redis is away waits in an ordered queue (bounded) and is written once Redis is
 * back: after a restore of what this node held (only into an empty hash, so it never overwrites a
 * newer state), and before this node reads the hash again. Nothing is sent while Redis is away:
 * node-redis would hold a MULTI until it reconnects and run it before the restore's check.
 */
export class ClusterPush implements PushSubscriptions {
  private entries: PushEntry[] = [];
  /** Every Redis write and resync, one after another. */
  private writes: Promise<void> = Promise.resolve();
  private vapid: VapidKeys | null = null;
  /** Changes not yet in Redis, oldest first: a field's sealed entry, or null to delete it. */
  private pending: Array<{ field: string; entry: PushEntry | null }> = [];

  constructor(
    private readonly redis: Redis,
    private readonly seal: Sealer,
    private readonly perToken: number,
  ) {}

  /** This node's own key pair: offered to the cluster if it has none yet, replaced in place by the cluster's. */
  useVapid(local: VapidKeys): void {
    this.vapid = local;
  }

  async subscribe(sub: Redis): Promise<void> {
    await sub.subscribe(keys.pushChanged, () => void this.load().catch(() => {}));
  }

  /**
   * On start and whenever Redis comes back: the shared key pair, then every subscription. `restore`:
   * Redis lost its data, so this node puts back the subscriptions it held (browsers do not subscribe
   * again by themselves) and its pair, which the others then adopt.
   */
  resync(restore = false): Promise<void> {
    const run = this.writes.then(async () => {
      if (restore && this.entries.length > 0) {
        // Check and write in one step: another node's restore or change that got there first wins.
        // In chunks (Lua's unpack is bounded); the first decides, the rest follow it.
        const fields = this.entries.flatMap((e) => [fieldOf(e.tokenId, e.endpoint), this.stored(e)]);
        const restored = await this.redis.eval(RESTORE_IF_EMPTY, { keys: [keys.pushSubscriptions], arguments: fields.slice(0, RESTORE_CHUNK) });
        for (let i = RESTORE_CHUNK; restored === 1 && i < fields.length; i += RESTORE_CHUNK) await this.redis.hSet(keys.pushSubscriptions, fields.slice(i, i + RESTORE_CHUNK));
      }
      await this.writePending();
      if (this.vapid) await this.shareVapid(this.vapid);
      await this.load();
    });
    // The chain goes on whatever this one did; the caller hears of a failure (and tries again).
    this.writes = run.catch(() => undefined);
    return run;
  }

  private stored(e: PushEntry): string {
    return JSON.stringify({ tokenId: e.tokenId, createdAt: e.createdAt, sealed: this.seal.seal(JSON.stringify({ endpoint: e.endpoint, keys: e.keys })) });
  }

  list(): readonly PushEntry[] {
    return this.entries;
  }

  add(tokenId: string, sub: PushSubscriptionJson): void {
    const entry = entryOf(tokenId, sub);
    const next = withSubscription(this.entries, entry, this.perToken);
    const gone = this.entries.filter((e) => !next.includes(e) && !(e.tokenId === tokenId && e.endpoint === sub.endpoint));
    this.entries = next;
    this.change([{ field: fieldOf(tokenId, entry.endpoint), entry }, ...gone.map((e) => ({ field: fieldOf(e.tokenId, e.endpoint), entry: null }))]);
  }

  remove(tokenId: string, endpoint: string): boolean {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => !(e.tokenId === tokenId && e.endpoint === endpoint));
    if (this.entries.length === before) return false;
    this.change([{ field: fieldOf(tokenId, endpoint), entry: null }]);
    return true;
  }

  drop(endpoint: string): void {
    const gone = this.entries.filter((e) => e.endpoint === endpoint);
    if (gone.length === 0) return;
    this.entries = this.entries.filter((e) => e.endpoint !== endpoint);
    this.change(gone.map((e) => ({ field: fieldOf(e.tokenId, e.endpoint), entry: null })));
  }

  /** Resolves when every change made here so far was tried (in Redis and announced, unless Redis is away). */
  settled(): Promise<void> {
    return this.writes;
  }

  /** Whether a change made here still waits for Redis. */
  get outOfStep(): boolean {
    return this.pending.length > 0;
  }

  private async load(): Promise<void> {
    const all = await this.redis.hGetAll(keys.pushSubscriptions);
    const entries: PushEntry[] = [];
    for (const [field, raw] of Object.entries(all)) {
      if (!FIELD.test(field) || entries.length >= MAX_SUBSCRIPTIONS) continue;
      const e = this.open(raw);
      // A field that is not its own pair's hash was written by something else: not trusted.
      if (e && fieldOf(e.tokenId, e.endpoint) === field) entries.push(e);
    }
    // What this node changed meanwhile and has not written yet still holds here.
    for (const { field, entry } of this.pending) {
      const at = entries.findIndex((e) => fieldOf(e.tokenId, e.endpoint) === field);
      if (at >= 0) entries.splice(at, 1);
      if (entry) entries.push(entry);
    }
    entries.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    this.entries = entries;
  }

  private open(raw: string): PushEntry | null {
    try {
      const s = Stored.safeParse(JSON.parse(raw));
      if (!s.success) return null;
      const plain = this.seal.open(s.data.sealed);
      const secret = plain === null ? null : Secret.safeParse(JSON.parse(plain));
      return secret?.success ? { tokenId: s.data.tokenId, createdAt: s.data.createdAt, ...secret.data } : null;
    } catch {
      return null;
    }
  }

  /** The first node's pair becomes the cluster's (SET NX); every node then uses the one in Redis. */
  private async shareVapid(local: VapidKeys): Promise<void> {
    const offer = JSON.stringify({ publicKey: local.publicKey, privateKey: this.seal.seal(local.privateKey) });
    await this.redis.set(keys.vapid, offer, { NX: true });
    const raw = await this.redis.get(keys.vapid);
    let shared: VapidKeys | null = null;
    try {
      const v = raw ? VapidStored.safeParse(JSON.parse(raw)) : null;
      const privateKey = v?.success ? this.seal.open(v.data.privateKey) : null;
      if (v?.success && privateKey && /^[A-Za-z0-9_-]{42,44}$/.test(privateKey)) shared = { publicKey: v.data.publicKey, privateKey };
    } catch {
      shared = null;
    }
    if (!shared) return void log.error("cluster: the VAPID key pair in redis cannot be read (another cluster.secret?); this node pushes with its own pair");
    Object.assign(local, shared);
  }

  /** Queues changes in order and writes them now if Redis is there (else at the next resync). */
  private change(changes: Array<{ field: string; entry: PushEntry | null }>): void {
    this.pending.push(...changes);
    // Bounded: past the limit only each field's last change is kept (its order among the others holds).
    if (this.pending.length > MAX_PENDING) {
      const last = new Map<string, { field: string; entry: PushEntry | null }>();
      for (const c of this.pending) {
        last.delete(c.field);
        last.set(c.field, c);
      }
      this.pending = [...last.values()].slice(-MAX_PENDING);
    }
    this.writes = this.writes.then(() => this.writePending()).catch((err: unknown) => log.warn({ err: err instanceof Error ? err.message : String(err) }, "cluster: a push subscription change did not reach redis; it is written when redis is back"));
  }

  /** Writes the queued changes as one transaction and announces them; they leave the queue only once written. */
  private async writePending(): Promise<void> {
    if (this.pending.length === 0 || !this.redis.isReady) return;
    const batch = this.pending.slice();
    const m = this.redis.multi();
    for (const { field, entry } of batch) {
      if (entry) m.hSet(keys.pushSubscriptions, field, this.stored(entry));
      else m.hDel(keys.pushSubscriptions, field);
    }
    await m.exec();
    this.pending.splice(0, batch.length);
    await this.redis.publish(keys.pushChanged, "1");
  }
}
