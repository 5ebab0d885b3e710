import type { TerminalInput } from "../protocol.ts";
import type { AuditLog, AuditRecord } from "./audit.ts";

/** Key names one audit line lists at most (the count is always exact). */
const MAX_NAMES = 128;
/** Characters of typed text one line keeps (only when audit.log_content is on). */
const MAX_CONTENT = 4096;

interface Open {
  steps: number;
  bytes: number;
  keys: string[];
  content: string;
  failed: number;
  first: number;
}

/**
 * Keyboard mode's audit: a line per burst of typing to a pane rather than per keystroke. A batch
 * closes after `quietMs` without keys to that pane, after `maxAgeMs`, or when its socket goes (its
 * owner calls `flush`). Every batch is bounded: names and content are cut, counts stay exact.
 */
export class KeyAudit {
  private readonly open = new Map<string, Open>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly audit: AuditLog,
    private readonly who: Pick<AuditRecord, "token" | "role" | "remote">,
    private readonly opts: { quietMs: number; maxAgeMs: number } = { quietMs: 2000, maxAgeMs: 10_000 },
  ) {}

  record(target: string, input: readonly TerminalInput[], ok: boolean): void {
    const o = this.open.get(target) ?? { steps: 0, bytes: 0, keys: [], content: "", failed: 0, first: Date.now() };
    this.open.set(target, o);
    for (const step of input) {
      if (!ok) {
        o.failed++;
        continue;
      }
      o.steps++;
      const text = "key" in step ? null : "text" in step ? step.text : step.paste;
      if (text === null) {
        if (o.keys.length < MAX_NAMES) o.keys.push((step as { key: string }).key);
        continue;
      }
      o.bytes += Buffer.byteLength(text);
      if (o.keys.length < MAX_NAMES) o.keys.push("text" in step ? "(text)" : "(paste)");
      if (o.content.length < MAX_CONTENT) o.content = (o.content + text).slice(0, MAX_CONTENT);
    }
    clearTimeout(this.timers.get(target));
    if (Date.now() - o.first >= this.opts.maxAgeMs) return this.close(target);
    const t = setTimeout(() => this.close(target), this.opts.quietMs);
    t.unref();
    this.timers.set(target, t);
  }

  /** Writes every open batch now. */
  flush(): void {
    for (const target of [...this.open.keys()]) this.close(target);
  }

  private close(target: string): void {
    clearTimeout(this.timers.get(target));
    this.timers.delete(target);
    const o = this.open.get(target);
    this.open.delete(target);
    if (!o) return;
    this.audit.write({
      event: "keys",
      ...this.who,
      target,
      bytes: o.bytes,
      count: o.steps,
      keys: o.keys,
      content: o.content,
      outcome: o.failed === 0 ? "delivered" : o.steps === 0 ? "failed" : "partly-failed",
      ...(o.failed ? { detail: `${o.failed} steps failed` } : {}),
    });
  }
}
