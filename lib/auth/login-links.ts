import { randomBytes } from "node:crypto";
import { z } from "zod";
import { PanecastError } from "../errors.ts";
import { ROLES, type Role } from "../protocol.ts";
import { roleAtLeast } from "../roles.ts";
import { MemoryOneTime, secretHash, type OneTimeStore } from "./one-time.ts";
import type { Principal } from "./principal.ts";

/** What a login link grants: a role and session limits no wider than its creator's. */
export interface LoginGrant {
  role: Role;
  sessions: string[] | null;
  /** The creator's token name (audit) and its expiry: the new sign-in ends no later. */
  createdBy: string;
  creatorExpiresAt: number | null;
  expiresAt: number;
}

/** A grant as read back from a shared store (checked like any input). */
export const LoginGrantSchema = z.object({
  role: z.enum(ROLES),
  sessions: z.array(z.string().max(256)).max(256).nullable(),
  createdBy: z.string().max(64),
  creatorExpiresAt: z.number().nullable(),
  expiresAt: z.number(),
}) satisfies z.ZodType<LoginGrant>;

/** A link lives at most this long. */
export const MAX_LINK_TTL_MS = 60 * 60_000;
const MIN_LINK_TTL_MS = 10_000;

/**
 * One-time sign-in links (for a phone, by scanning a QR code): a random code that grants, once and
 * within its short life, a role at most the creator's with the creator's session limits. Only a hash
 * of each code is kept, with its TTL: in this process's memory (bounded, the oldest unused link goes
 * first), or in a cluster in Redis, so a link made on one node is redeemed on any, once.
 */
export class LoginLinks {
  private readonly store: OneTimeStore<LoginGrant>;

  constructor(store: OneTimeStore<LoginGrant> = new MemoryOneTime(1000)) {
    this.store = store;
  }

  async create(creator: Principal, role: Role, ttlMs: number, now = Date.now()): Promise<{ code: string; grant: LoginGrant }> {
    if (role === "agent") throw new PanecastError("BAD_REQUEST", "a login link is for a person: viewer, operator or admin");
    if (!roleAtLeast(creator.role, role)) throw new PanecastError("FORBIDDEN", `a ${creator.role} token cannot make a ${role} link`);
    if (ttlMs < MIN_LINK_TTL_MS || ttlMs > MAX_LINK_TTL_MS) throw new PanecastError("BAD_REQUEST", "ttl: between 10s and 1h");
    const code = randomBytes(24).toString("base64url");
    const expiresAt = Math.min(now + ttlMs, creator.expiresAt ?? Infinity);
    const grant: LoginGrant = { role, sessions: creator.sessions, createdBy: creator.name, creatorExpiresAt: creator.expiresAt, expiresAt };
    await this.store.put(secretHash(code), grant, expiresAt - now);
    return { code, grant };
  }

  /** The grant of a live, unused link, which it uses up; null for an unknown, used or expired code. */
  async redeem(code: string, now = Date.now()): Promise<LoginGrant | null> {
    const grant = await this.store.take(secretHash(code));
    return grant && grant.expiresAt > now ? grant : null;
  }
}
