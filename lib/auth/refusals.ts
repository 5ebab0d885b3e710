import { LRUCache } from "lru-cache";
import type { AuditLog, AuditRecord } from "./audit.ts";

export type RefusalKind = "login" | "bearer" | "cookie" | "socket";

/** The line written for a key's refusals (the default: a `login.failed` line for an address). */
export type RefusalLine = (key: string, count: number, kinds: RefusalKind[]) => AuditRecord;

const failedLogin: RefusalLine = (ip, count, kinds) => ({ event: "login.failed", remote: ip, count, detail: `via=${kinds.join(",")}` });

interface Tally {
  /** Refusals not yet written. */
  count: number;
  kinds: Set<RefusalKind>;
  /** When the last line for this address was written. */
  writtenAt: number;
}

const WINDOW_MS = 60_000;

/**
 * Audits refused credentials (wrong tokens, forged cookies, attempts over the limit) as at most one
 * line per address a minute: the first refusal is written at once, later ones are counted and written
 * as one `login.failed` line with the count when the minute is over. A flood of guesses therefore
 * costs the audit log one line a minute per address, and the addresses tracked are bounded.
 */
export class RefusalAudit {
  private readonly audit: AuditLog;
  private readonly tallies: LRUCache<string, Tally>;
  private timer: NodeJS.Timeout | null = null;
  private readonly line: RefusalLine;

  /** `line`: what to write for a key (another kind of key than an address: a token's refused logins). */
  constructor(audit: AuditLog, maxAddresses = 10_000, line: RefusalLine = failedLogin) {
    this.audit = audit;
    this.line = line;
    // An address pushed out of the table still gets its line.
    this.tallies = new LRUCache({ max: maxAddresses, dispose: (t, ip) => this.write(ip, t) });
  }

  refused(ip: string, kind: RefusalKind): void {
    const now = Date.now();
    const t = this.tallies.get(ip);
    if (!t) {
      this.tallies.set(ip, { count: 0, kinds: new Set(), writtenAt: now });
      this.write(ip, { count: 1, kinds: new Set([kind]), writtenAt: now });
      this.arm();
      return;
    }
    t.count++;
    t.kinds.add(kind);
    if (now - t.writtenAt >= WINDOW_MS) this.flushOne(ip, t, now);
  }

  /** Writes what the minute gathered; addresses quiet for a whole minute are forgotten. */
  sweep(): void {
    const now = Date.now();
    for (const [ip, t] of this.tallies.entries()) {
      if (now - t.writtenAt < WINDOW_MS) continue;
      if (t.count === 0) this.tallies.delete(ip);
      else this.flushOne(ip, t, now);
    }
    if (this.tallies.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const [ip, t] of this.tallies.entries()) if (t.count > 0) this.flushOne(ip, t, Date.now());
  }

  private arm(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.sweep(), WINDOW_MS / 4);
    this.timer.unref();
  }

  private flushOne(ip: string, t: Tally, now: number): void {
    this.write(ip, t);
    t.count = 0;
    t.kinds = new Set();
    t.writtenAt = now;
  }

  private write(ip: string, t: Tally): void {
    if (t.count === 0) return;
    this.audit.write(this.line(ip, t.count, [...t.kinds].sort()));
  }
}
