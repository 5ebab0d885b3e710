import { randomBytes } from "node:crypto";
import { z } from "zod";
import { MemoryOneTime, secretHash, type OneTimeStore } from "../auth/one-time.ts";

/** What a capability lets its holder do: answer this prompt of this pane once, as this token. */
export interface Capability {
  tokenId: string;
  pane: string;
  itemId: string;
  promptHash: string;
  expiresAt: number;
}

/** A capability as read back from a shared store (checked like any input). */
export const CapabilitySchema = z.object({
  tokenId: z.string().max(64),
  pane: z.string().max(80),
  itemId: z.string().max(64),
  promptHash: z.string().max(16),
  expiresAt: z.number(),
}) satisfies z.ZodType<Capability>;

/** A capability lives at most this long. */
export const CAPABILITY_TTL_MS = 10 * 60_000;

/**
 * Answer capabilities, made for one push notification: a random secret that answers one needs-you
 * item's prompt once, within ten minutes, as the subscription's token (whose rights are checked again
 * when it is used). Only hashes are kept, with their TTL: in memory (bounded, the oldest goes first),
 * or in a cluster in Redis, so one made on the node that pushed answers through any node, once.
 */
export class AnswerCapabilities {
  private readonly store: OneTimeStore<Capability>;
  private readonly ttlMs: number;

  constructor(opts: { ttlMs?: number; max?: number; store?: OneTimeStore<Capability> } = {}) {
    this.ttlMs = Math.min(opts.ttlMs ?? CAPABILITY_TTL_MS, CAPABILITY_TTL_MS);
    this.store = opts.store ?? new MemoryOneTime(opts.max ?? 10_000);
  }

  async issue(c: Omit<Capability, "expiresAt">, now = Date.now()): Promise<string> {
    const secret = randomBytes(24).toString("base64url");
    await this.store.put(secretHash(secret), { ...c, expiresAt: now + this.ttlMs }, this.ttlMs);
    return secret;
  }

  /** The capability, used up; null when unknown, used or expired. */
  async take(secret: string, now = Date.now()): Promise<Capability | null> {
    const c = await this.store.take(secretHash(secret));
    return c && c.expiresAt > now ? c : null;
  }
}
