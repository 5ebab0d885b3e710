import { createHash, randomBytes } from "node:crypto";
import { LRUCache } from "lru-cache";

/** What a capability lets its holder do: answer this prompt of this pane once, as this token. */
export interface Capability {
  tokenId: string;
  pane: string;
  itemId: string;
  promptHash: string;
  expiresAt: number;
}

/** A capability lives at most this long. */
export const CAPABILITY_TTL_MS = 10 * 60_000;

/**
 * Answer capabilities, made for one push notification: a random secret that answers one needs-you
 * item's prompt once, within ten minutes, as the subscription's token (whose rights are checked again
 * when it is used). Only hashes are kept, in memory, bounded (the oldest goes first).
 */
export class AnswerCapabilities {
  private readonly caps: LRUCache<string, Capability>;
  private readonly ttlMs: number;

  constructor(opts: { ttlMs?: number; max?: number } = {}) {
    this.ttlMs = Math.min(opts.ttlMs ?? CAPABILITY_TTL_MS, CAPABILITY_TTL_MS);
    this.caps = new LRUCache({ max: opts.max ?? 10_000 });
  }

  issue(c: Omit<Capability, "expiresAt">, now = Date.now()): string {
    const secret = randomBytes(24).toString("base64url");
    this.caps.set(hash(secret), { ...c, expiresAt: now + this.ttlMs });
    return secret;
  }

  /** The capability, used up; null when unknown, used or expired. */
  take(secret: string, now = Date.now()): Capability | null {
    const key = hash(secret);
    const c = this.caps.get(key);
    if (!c) return null;
    this.caps.delete(key);
    return c.expiresAt > now ? c : null;
  }
}

function hash(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}
