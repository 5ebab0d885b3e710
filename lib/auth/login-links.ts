import { createHash, randomBytes } from "node:crypto";
import { LRUCache } from "lru-cache";
import { PanecastError } from "../errors.ts";
import type { Role } from "../protocol.ts";
import { roleAtLeast } from "../roles.ts";
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

/** A link lives at most this long. */
export const MAX_LINK_TTL_MS = 60 * 60_000;
const MIN_LINK_TTL_MS = 10_000;

/**
 * One-time sign-in links (for a phone, by scanning a QR code): a random code that grants, once and
 * within its short life, a role at most the creator's with the creator's session limits. Only a hash
 * of each code is kept, in memory, bounded (the oldest unused link goes first). A link is made and
 * redeemed on the same panecast process.
 */
export class LoginLinks {
  private readonly links: LRUCache<string, LoginGrant>;

  constructor(max = 1000) {
    this.links = new LRUCache({ max });
  }

  create(creator: Principal, role: Role, ttlMs: number, now = Date.now()): { code: string; grant: LoginGrant } {
    if (role === "agent") throw new PanecastError("BAD_REQUEST", "a login link is for a person: viewer, operator or admin");
    if (!roleAtLeast(creator.role, role)) throw new PanecastError("FORBIDDEN", `a ${creator.role} token cannot make a ${role} link`);
    if (ttlMs < MIN_LINK_TTL_MS || ttlMs > MAX_LINK_TTL_MS) throw new PanecastError("BAD_REQUEST", "ttl: between 10s and 1h");
    const code = randomBytes(24).toString("base64url");
    const expiresAt = Math.min(now + ttlMs, creator.expiresAt ?? Infinity);
    const grant: LoginGrant = { role, sessions: creator.sessions, createdBy: creator.name, creatorExpiresAt: creator.expiresAt, expiresAt };
    this.links.set(hash(code), grant);
    return { code, grant };
  }

  /** The grant of a live, unused link, which it uses up; null for an unknown, used or expired code. */
  redeem(code: string, now = Date.now()): LoginGrant | null {
    const key = hash(code);
    const grant = this.links.get(key);
    if (!grant) return null;
    this.links.delete(key);
    return grant.expiresAt > now ? grant : null;
  }
}

function hash(code: string): string {
  return createHash("sha256").update(code).digest("hex");
}
