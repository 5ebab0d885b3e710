import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { EventEmitter } from "node:events";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { ROLES, type Role } from "../protocol.ts";
import { SESSION_GLOB, TOKEN_NAME } from "../protocol/ids.ts";
import type { Principal } from "./principal.ts";
import { watchFile, type FileWatch } from "./file-watch.ts";

/**
 * Access tokens, stored hashed (SHA-256 of a 256-bit secret: no plain text, and no slow hash needed
 * for secrets this long) in a JSON file with mode 0600. The file is the source of truth: the CLI edits
 * it (atomically, by rename) while the server runs, and the server follows every change, so a revoked
 * token stops working everywhere within a second.
 *
 * A token reads `pc_<id>_<secret>`: the id finds the record, the secret is compared in constant time.
 */
export { ROLES };
const TOKEN_FORMAT = /^pc_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export const RecordSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{16}$/),
  name: z.string().regex(TOKEN_NAME),
  role: z.enum(ROLES),
  sessions: z.array(z.string()).nullable(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
});
/** `sessionKey`: where the cookie-signing key lived before it got a file of its own (lib/auth/session-key.ts). */
const FileSchema = z.object({ version: z.literal(1), tokens: z.array(RecordSchema), sessionKey: z.string().regex(/^[0-9a-f]{64}$/).optional() });

export type TokenRecord = z.infer<typeof RecordSchema>;
export type TokenInfo = Omit<TokenRecord, "hash">;

export class TokenError extends Error {}

export interface TokenStoreEvents {
  /** The set of valid tokens changed (created, revoked, edited by another process). */
  changed: [];
}

export class TokenStore extends EventEmitter<TokenStoreEvents> {
  readonly file: string;
  private data: z.infer<typeof FileSchema>;
  private watcher: FileWatch | null = null;

  constructor(file: string) {
    super();
    this.file = file;
    this.data = this.load();
  }

  /** A cookie-signing key left in the token file by an older panecast (hex), or null. */
  get legacySessionKey(): string | null {
    return this.data.sessionKey ?? null;
  }

  /** Removes the old cookie-signing key from the token file, once it has a file of its own. */
  dropLegacySessionKey(): void {
    this.data = this.load();
    if (this.data.sessionKey === undefined) return;
    delete this.data.sessionKey;
    this.save();
  }

  get size(): number {
    return this.data.tokens.length;
  }

  list(): TokenInfo[] {
    return this.data.tokens.map(({ hash: _hash, ...info }) => ({ ...info }));
  }

  /** Creates a token and returns it; the plain token exists only in this return value. */
  create(opts: NewToken): { token: string; info: TokenInfo } {
    this.data = this.load();
    const made = newTokenRecord(opts, this.data.tokens);
    this.data.tokens.push(made.record);
    this.save();
    return { token: made.token, info: made.info };
  }

  /** Revokes the token of that name, if it exists and `allowed` (the caller's reach) accepts it. */
  revoke(name: string, allowed: (t: TokenInfo) => boolean = () => true): boolean {
    this.data = this.load();
    const before = this.data.tokens.length;
    this.data.tokens = this.data.tokens.filter((t) => t.name !== name || !allowed(t));
    if (this.data.tokens.length === before) return false;
    this.save();
    this.emit("changed");
    return true;
  }

  /** The principal a token stands for, or null (unknown, malformed, revoked or expired). */
  verify(token: unknown): Principal | null {
    return principalOfRecord(recordOfToken(token, (id) => this.data.tokens.find((t) => t.id === id)));
  }

  /** The principal of a token id still valid now (used for session cookies), or null. */
  principalOf(id: string): Principal | null {
    return principalOfRecord(this.data.tokens.find((t) => t.id === id));
  }

  /** Follows changes other processes make to the file. */
  watch(): void {
    if (this.watcher) return;
    // No live reload when the directory cannot be watched; a restart picks the change up.
    this.watcher = watchFile(this.file, () => this.reload());
  }

  close(): void {
    this.watcher?.close();
    this.watcher = null;
  }

  reload(): void {
    try {
      const next = this.load();
      if (JSON.stringify(next.tokens) !== JSON.stringify(this.data.tokens)) {
        this.data = next;
        this.emit("changed");
      }
    } catch {
      // A half-written or damaged file: keep what we had; the next change tries again.
    }
  }

  private load(): z.infer<typeof FileSchema> {
    if (!existsSync(this.file)) {
      mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const fresh = { version: 1 as const, tokens: [] };
      writeAtomic(this.file, fresh);
      return fresh;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.file, "utf8"));
    } catch {
      throw new TokenError(`token file ${this.file} is not valid JSON`);
    }
    const r = FileSchema.safeParse(parsed);
    if (!r.success) throw new TokenError(`token file ${this.file} is damaged: ${r.error.issues[0]?.path.join(".") ?? ""} ${r.error.issues[0]?.message ?? ""}`);
    return r.data;
  }

  private save(): void {
    writeAtomic(this.file, this.data);
  }
}

function digest(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export interface NewToken {
  name: string;
  role: Role;
  sessions?: string[] | null;
  expiresInMs?: number | null;
  /** The latest the token may expire (its maker's own expiry): the lifetime never runs past it. */
  notAfter?: number | null;
}

/**
 * A new token's record (only its hash is kept) and the plain token, checked against the names in
 * `existing`: the one way both token stores (this file, and the cluster's Redis) make a token.
 */
export function newTokenRecord(opts: NewToken, existing: Iterable<{ name: string }>): { record: TokenRecord; token: string; info: TokenInfo } {
  if (!TOKEN_NAME.test(opts.name)) throw new TokenError("token name: expected letters, digits, '.', '_' or '-' (at most 64)");
  if (!ROLES.includes(opts.role)) throw new TokenError(`token role: expected one of ${ROLES.join(", ")}`);
  for (const g of opts.sessions ?? []) {
    if (!SESSION_GLOB.test(g)) throw new TokenError(`token sessions: ${JSON.stringify(g)} is not a session name or glob`);
  }
  for (const t of existing) if (t.name === opts.name) throw new TokenError(`a token named ${opts.name} exists already`);
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
    expiresAt: opts.expiresInMs ? new Date(Math.min(now.getTime() + opts.expiresInMs, opts.notAfter ?? Infinity)).toISOString() : null,
  };
  const { hash: _hash, ...info } = record;
  return { record, token: `pc_${id}_${secret}`, info };
}

/** The record a presented token matches (format, id, then its secret in constant time), or null. */
export function recordOfToken(token: unknown, byId: (id: string) => TokenRecord | undefined): TokenRecord | null {
  if (typeof token !== "string") return null;
  const m = TOKEN_FORMAT.exec(token);
  const record = m ? byId(m[1]!) : undefined;
  if (!m || !record) return null;
  return timingSafeEqual(Buffer.from(record.hash, "hex"), Buffer.from(digest(m[2]!), "hex")) ? record : null;
}

/** The principal of a record that has not expired, or null. */
export function principalOfRecord(r: TokenRecord | null | undefined): Principal | null {
  const expiresAt = r?.expiresAt ? Date.parse(r.expiresAt) : null;
  if (!r || (expiresAt !== null && expiresAt <= Date.now())) return null;
  return { tokenId: r.id, name: r.name, role: r.role, sessions: r.sessions, expiresAt };
}

function writeAtomic(file: string, data: unknown): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/** "30d", "12h", "90m", "2w" → milliseconds; zero is refused. */
export function parseDuration(s: string): number {
  const m = /^(\d{1,6})([mhdw])$/.exec(s.trim());
  if (!m) throw new TokenError(`expires: ${JSON.stringify(s)}: expected a number and m, h, d or w (for example 30d)`);
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2] as "m" | "h" | "d" | "w"];
  // Zero is no lifetime, not "never": a token that never expires leaves expires out.
  if (Number(m[1]) === 0) throw new TokenError(`expires: ${JSON.stringify(s)}: must be at least 1m (leave it out for a token that never expires)`);
  return Number(m[1]) * unit;
}

/**
 * The one-line caveat for a token that may type but sees only some sessions: panecast shows and sends
 * within them, but a shell in one of them reaches the whole tmux server (`tmux send-keys -t other`).
 */
export function limitWarning(t: Pick<TokenInfo, "role" | "sessions">): string | null {
  if (t.role === "viewer" || t.sessions === null) return null;
  return "warning: session limits restrict what panecast shows and sends; they are no sandbox: a shell in an allowed pane can reach every session on the same tmux server (docs/deploy.md, Security model)";
}

/**
 * The lifetime of a token a principal makes: never past the maker's own expiry. Without a request it
 * is the maker's remaining life (null: never, for a maker that never expires); a longer request is refused.
 */
export function lifetimeWithin(requested: string | undefined, makerExpiresAt: number | null, now = Date.now()): number | null {
  const asked = requested ? parseDuration(requested) : null;
  if (makerExpiresAt === null) return asked;
  const left = makerExpiresAt - now;
  if (asked === null) return Math.max(1, left);
  if (asked > left) throw new TokenError(`expires: ${requested} is past this token's own expiry (${new Date(makerExpiresAt).toISOString()}); a token made by it cannot outlive it`);
  return asked;
}
