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

const EntrySchema = z.object({
  tokenId: z.string().max(64),
  endpoint: z.string().max(2048),
  keys: z.object({ p256dh: z.string(), auth: z.string() }),
  createdAt: z.string(),
});
const FileSchema = z.object({ version: z.literal(1), subscriptions: z.array(EntrySchema) });

export type PushEntry = z.infer<typeof EntrySchema>;

const MAX_TOTAL = 10_000;

/**
 * Push subscriptions by token, kept in a 0600 JSON file in panecast's state directory so they
 * survive restarts. Each token holds at most `perToken` (the oldest goes first); an endpoint
 * belongs to one token (subscribing again moves it).
 */
export class PushStore {
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
    const others = this.entries.filter((e) => e.endpoint !== sub.endpoint);
    const mine = others.filter((e) => e.tokenId === tokenId);
    const drop = new Set(mine.slice(0, Math.max(0, mine.length - this.perToken + 1)));
    const kept = others.filter((e) => !drop.has(e));
    kept.push({ tokenId, endpoint: sub.endpoint, keys: { p256dh: sub.keys.p256dh, auth: sub.keys.auth }, createdAt: new Date().toISOString() });
    this.entries = kept.slice(-MAX_TOTAL);
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
