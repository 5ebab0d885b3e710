import { createHash, randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { TokenStore } from "./tokens.ts";
import { watchFile, type FileWatch } from "./file-watch.ts";

const KEY_FORMAT = /^[0-9a-f]{64}$/;

export class SessionKeyError extends Error {}

export interface SessionKeyEvents {
  /** The key file holds a new key (`panecast token rotate-key`): every cookie signed before is void. */
  rotated: [];
}

/** The key file beside the token file: `<dir of auth.tokens_path>/session.key`. */
export function sessionKeyPath(tokensPath: string): string {
  return path.join(path.dirname(tokensPath), "session.key");
}

/**
 * The key that signs session cookies, in a file of its own (mode 0600) in panecast's state
 * directory, so the token file holds nothing that can forge a login. A key an older panecast kept in
 * the token file is moved here once, so cookies issued before the upgrade keep their signature. The
 * server follows the file as it follows the token file: a rotation by the CLI reaches it within a
 * second.
 */
export class SessionKey extends EventEmitter<SessionKeyEvents> {
  readonly file: string;
  private hex: string;
  private watcher: FileWatch | null = null;

  constructor(file: string, tokens?: TokenStore) {
    super();
    this.file = file;
    const legacy = tokens?.legacySessionKey ?? null;
    if (!existsSync(file)) writeKey(file, legacy ?? randomBytes(32).toString("hex"));
    this.hex = readKey(file);
    if (legacy !== null) tokens!.dropLegacySessionKey();
  }

  get key(): Buffer {
    return Buffer.from(this.hex, "hex");
  }

  /** A short public fingerprint of the key: tells a cookie signed with an older key from a forged one. */
  get id(): string {
    return createHash("sha256").update(this.hex).digest("hex").slice(0, 8);
  }

  /** Writes a new random key; the caller (or a watching server) ends every session. */
  static rotate(file: string): void {
    writeKey(file, randomBytes(32).toString("hex"));
  }

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
    let next: string;
    try {
      next = readKey(this.file);
    } catch {
      // Missing or half-written: keep the key we have; the next change tries again.
      return;
    }
    if (next === this.hex) return;
    this.hex = next;
    this.emit("rotated");
  }
}

function readKey(file: string): string {
  const text = readFileSync(file, "utf8").trim();
  if (!KEY_FORMAT.test(text)) throw new SessionKeyError(`session key file ${file} is damaged: expected 64 hex digits`);
  return text;
}

function writeKey(file: string, hex: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(tmp, `${hex}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}
