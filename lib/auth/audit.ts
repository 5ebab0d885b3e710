import { appendFile, mkdir, rename, stat } from "node:fs/promises";
import path from "node:path";
import { log } from "../log.ts";

export type AuditEvent = "send" | "keys" | "login" | "login.failed" | "login-link" | "logout" | "token.create" | "token.revoke" | "key.rotate" | "socket.flood" | "recording.export";

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
 * order and never block a caller; the file is rotated to `<path>.1` when it passes `maxBytes`. The
 * queue is bounded: past `maxQueued` lines waiting, the oldest waiting line is dropped and counted.
 */
export class AuditLog {
  private readonly file: string;
  private readonly maxBytes: number;
  readonly logContent: boolean;
  private queue: string[] = [];
  private writing: Promise<void> | null = null;
  private readonly maxQueued = 10_000;
  dropped = 0;

  constructor(opts: { path: string; maxBytes: number; logContent: boolean }) {
    this.file = opts.path;
    this.maxBytes = opts.maxBytes;
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

  private async drain(): Promise<void> {
    try {
      await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0).join("\n") + "\n";
        try {
          const st = await stat(this.file).catch(() => null);
          if (st && st.size + batch.length > this.maxBytes) await rename(this.file, `${this.file}.1`);
          await appendFile(this.file, batch, { mode: 0o600 });
        } catch (err) {
          log.error({ err, file: this.file }, "audit log write failed");
        }
      }
    } finally {
      this.writing = null;
      if (this.queue.length > 0) this.writing = this.drain();
    }
  }
}
