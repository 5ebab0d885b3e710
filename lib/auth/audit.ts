import { appendFile, mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { log } from "../log.ts";

export type AuditEvent = "send" | "keys" | "login" | "login.failed" | "login.limited" | "login-link" | "logout" | "token.create" | "token.revoke" | "key.rotate" | "socket.flood" | "recording.export";

export interface AuditRecord {
  event: AuditEvent;
  token?: string | null;
  role?: string | null;
  remote?: string | null;
  target?: string | null;
  bytes?: number;
  /** Refusals summed into this one line (login.failed: at most one line per address a minute). */
  count?: number;
  /** The text sent, only when audit.log_content is on. */
  content?: string;
  outcome?: string;
  detail?: string;
  /** pane:send: the keys actually sent (empty when none were); pane:keys: the key names of a batch. */
  keys?: string[];
  /** pane:send: whether Enter was pressed. */
  enter?: boolean;
}

/**
 * The audit log: one JSON line per send, login, failed login and token change. Writes are queued in
 * order and never block a caller. Kept by size: a write that would take the file past `maxBytes`
 * first shifts `<path>.1`…`<path>.N-1` up one (`.1` is the newest old file) and the file to `.1`,
 * dropping what was `.N` (N = `generations`). So the audit takes at most (N + 1) × `maxBytes` on disk
 * and always holds at least the newest N × `maxBytes` of records: a flood pushes out only what is
 * older than that. The queue is bounded: past `maxQueued` lines waiting, the oldest waiting line is
 * dropped and counted.
 */
export class AuditLog {
  private readonly file: string;
  private readonly maxBytes: number;
  private readonly generations: number;
  readonly logContent: boolean;
  private queue: string[] = [];
  private writing: Promise<void> | null = null;
  private readonly maxQueued = 10_000;
  dropped = 0;

  constructor(opts: { path: string; maxBytes: number; logContent: boolean; generations?: number }) {
    this.file = opts.path;
    this.maxBytes = opts.maxBytes;
    this.generations = opts.generations ?? 5;
    this.logContent = opts.logContent;
  }

  write(rec: AuditRecord): void {
    const { content, ...rest } = rec;
    const line = JSON.stringify({ time: new Date().toISOString(), ...rest, ...(this.logContent && content !== undefined ? { content } : {}) });
    if (this.queue.length >= this.maxQueued) {
      this.queue.shift();
      this.dropped++;
    }
    this.queue.push(line);
    this.writing ??= this.drain();
  }

  /** Resolves when every line written so far is on disk. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /**
   * The waiting lines that fit in `room` bytes (at least one, so a line longer than a whole file is
   * still written, alone), joined for one append; when none fits, the next file's worth.
   */
  private take(room: number): string {
    const budget = room >= Buffer.byteLength(this.queue[0]!) + 1 ? room : this.maxBytes;
    let bytes = 0;
    let n = 0;
    while (n < this.queue.length) {
      const len = Buffer.byteLength(this.queue[n]!) + 1;
      if (n > 0 && bytes + len > budget) break;
      bytes += len;
      n++;
    }
    return this.queue.splice(0, n).join("\n") + "\n";
  }

  /** `<path>.N-1` → `.N` … `<path>` → `.1`; the oldest beyond `generations` is gone. */
  private async rotate(): Promise<void> {
    if (this.generations === 0) return void (await rm(this.file, { force: true }));
    await rm(`${this.file}.${this.generations}`, { force: true });
    for (let g = this.generations - 1; g >= 1; g--) await rename(`${this.file}.${g}`, `${this.file}.${g + 1}`).catch(() => undefined);
    await rename(this.file, `${this.file}.1`);
  }

  private async drain(): Promise<void> {
    try {
      await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      let size = (await stat(this.file).catch(() => null))?.size ?? 0;
      while (this.queue.length > 0) {
        const batch = this.take(this.maxBytes - size);
        const bytes = Buffer.byteLength(batch);
        try {
          if (size > 0 && size + bytes > this.maxBytes) {
            await this.rotate();
            size = 0;
          }
          await appendFile(this.file, batch, { mode: 0o600 });
          size += bytes;
        } catch (err) {
          log.error({ err, file: this.file }, "audit log write failed");
          size = (await stat(this.file).catch(() => null))?.size ?? 0;
        }
      }
    } finally {
      this.writing = null;
      if (this.queue.length > 0) this.writing = this.drain();
    }
  }
}
