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
 */
export class ClusterPush implements PushSubscriptions {
  private entries: PushEntry[] = [];
  private writes: Promise<void> = Promise.resolve();
  private vapid: VapidKeys | null = null;

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
  async resync(restore = false): Promise<void> {
    if (restore && this.entries.length > 0 && (await this.redis.exists(keys.pushSubscriptions)) === 0) {
      await this.redis.hSet(keys.pushSubscriptions, Object.fromEntries(this.entries.map((e) => [fieldOf(e.tokenId, e.endpoint), this.stored(e)])));
    }
    if (this.vapid) await this.shareVapid(this.vapid);
    await this.load();
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
    this.write(async () => {
      const m = this.redis.multi().hSet(keys.pushSubscriptions, fieldOf(tokenId, entry.endpoint), this.stored(entry));
      if (gone.length > 0) m.hDel(keys.pushSubscriptions, gone.map((e) => fieldOf(e.tokenId, e.endpoint)));
      await m.exec();
    });
  }

  remove(tokenId: string, endpoint: string): boolean {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => !(e.tokenId === tokenId && e.endpoint === endpoint));
    if (this.entries.length === before) return false;
    this.write(() => this.redis.hDel(keys.pushSubscriptions, fieldOf(tokenId, endpoint)));
    return true;
  }

  drop(endpoint: string): void {
    const gone = this.entries.filter((e) => e.endpoint === endpoint);
    if (gone.length === 0) return;
    this.entries = this.entries.filter((e) => e.endpoint !== endpoint);
    this.write(() => this.redis.hDel(keys.pushSubscriptions, gone.map((e) => fieldOf(e.tokenId, e.endpoint))));
  }

  /** Resolves when every change made here so far is in Redis and announced. */
  settled(): Promise<void> {
    return this.writes;
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

  private write(op: () => Promise<unknown>): void {
    this.writes = this.writes
      .then(op)
      .then(() => this.redis.publish(keys.pushChanged, "1"))
      .then(
        () => undefined,
        (err: unknown) => log.error({ err: err instanceof Error ? err.message : String(err) }, "cluster: a push subscription change did not reach redis"),
      );
  }
}
