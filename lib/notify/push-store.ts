import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/** A browser's PushSubscription JSON, as POST /api/push/subscriptions takes it. */
export const PushSubscriptionSchema = z.object({
  endpoint: z.string().url().max(2048),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({
    // An uncompressed P-256 point (65 bytes) and a 16-byte secret, base64url.
    p256dh: z.string().regex(/^[A-Za-z0-9_-]{86,88}={0,2}$/, "a base64url P-256 public key"),
    auth: z.string().regex(/^[A-Za-z0-9_-]{22,24}={0,2}$/, "a base64url 16-byte secret"),
  }),
});

export type PushSubscriptionJson = z.infer<typeof PushSubscriptionSchema>;

export const EntrySchema = z.object({
  tokenId: z.string().max(64),
  endpoint: z.string().max(2048),
  keys: z.object({ p256dh: z.string(), auth: z.string() }),
  createdAt: z.string(),
});
const FileSchema = z.object({ version: z.literal(1), subscriptions: z.array(EntrySchema) });

export type PushEntry = z.infer<typeof EntrySchema>;

export function entryOf(tokenId: string, sub: PushSubscriptionJson): PushEntry {
  return { tokenId, endpoint: sub.endpoint, keys: { p256dh: sub.keys.p256dh, auth: sub.keys.auth }, createdAt: new Date().toISOString() };
}

export const MAX_SUBSCRIPTIONS = 10_000;
const MAX_TOTAL = MAX_SUBSCRIPTIONS;

/** Where push subscriptions are kept: a file on one node, Redis in a cluster (lib/cluster/push-state). */
export interface PushSubscriptions {
  list(): readonly PushEntry[];
  /** Subscribes (or renews) this token's browser; another token's subscription is never touched. */
  add(tokenId: string, sub: PushSubscriptionJson): void;
  /** Removes a token's subscription; false when it had none with that endpoint. */
  remove(tokenId: string, endpoint: string): boolean;
  /** Drops an endpoint whatever its token (the push service said it is gone). */
  drop(endpoint: string): void;
}

/**
 * The subscriptions a token may keep, with the one added: an entry is the pair (token, endpoint), so
 * subscribing again renews the token's own entry and never takes another token's; past `perToken` the
 * token's oldest go.
 */
export function withSubscription(entries: readonly PushEntry[], entry: PushEntry, perToken: number): PushEntry[] {
  const others = entries.filter((e) => !(e.tokenId === entry.tokenId && e.endpoint === entry.endpoint));
  const mine = others.filter((e) => e.tokenId === entry.tokenId);
  const drop = new Set(mine.slice(0, Math.max(0, mine.length - perToken + 1)));
  return [...others.filter((e) => !drop.has(e)), entry].slice(-MAX_TOTAL);
}

/**
 * Push subscriptions by token, kept in a 0600 JSON file in panecast's state directory so they
 * survive restarts. Each token holds at most `perToken` (the oldest goes first). An entry is keyed
 * by token and endpoint: a second token that posts the same endpoint gets an entry of its own and
 * cannot take over (or remove) the first one's.
 */
export class PushStore implements PushSubscriptions {
  readonly file: string;
  private readonly perToken: number;
  private entries: PushEntry[];

  constructor(file: string, opts: { perToken: number }) {
    this.file = file;
    this.perToken = opts.perToken;
    this.entries = this.load();
  }

  list(): readonly PushEntry[] {
    return this.entries;
  }

  add(tokenId: string, sub: PushSubscriptionJson): void {
    this.entries = withSubscription(this.entries, entryOf(tokenId, sub), this.perToken);
    this.save();
  }

  /** Removes a token's subscription; false when it had none with that endpoint. */
  remove(tokenId: string, endpoint: string): boolean {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => !(e.tokenId === tokenId && e.endpoint === endpoint));
    if (this.entries.length === before) return false;
    this.save();
    return true;
  }

  /** Drops an endpoint whatever its token (the push service said it is gone). */
  drop(endpoint: string): void {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e.endpoint !== endpoint);
    if (this.entries.length !== before) this.save();
  }

  private load(): PushEntry[] {
    if (!existsSync(this.file)) return [];
    try {
      const parsed = FileSchema.safeParse(JSON.parse(readFileSync(this.file, "utf8")));
      return parsed.success ? parsed.data.subscriptions.slice(-MAX_TOTAL) : [];
    } catch {
      return [];
    }
  }

  private save(): void {
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ version: 1, subscriptions: this.entries })}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
  }
}
