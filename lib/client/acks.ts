/** Unacknowledged batches after which a client acknowledges at once. */
export const ACK_EVERY = 8;
/** The longest a client waits before acknowledging a batch it applied. */
export const ACK_DELAY_MS = 100;

/**
 * When a client acknowledges the batches it applied (`batch:ack`, cumulative): once `ACK_EVERY` are
 * unacknowledged, or `ACK_DELAY_MS` after the first, whichever is sooner. That is about ten a second
 * at most, and stays well inside the server's window (`hub.max_unacked_batches`, 32 by default), so
 * a client that keeps up is never held back, while one that falls behind is skipped and then sent
 * the current state instead of seconds of stale batches.
 */
export class BatchAcks {
  private latest: number | null = null;
  private count = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly send: (n: number) => void;

  constructor(send: (n: number) => void) {
    this.send = send;
  }

  /** A batch was applied; `n` is its number (absent from a server without flow control). */
  applied(n: number | undefined): void {
    if (n === undefined) return;
    this.latest = n;
    this.count++;
    if (this.count >= ACK_EVERY) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), ACK_DELAY_MS);
  }

  /** Acknowledges what was applied so far, now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.latest === null) return;
    const n = this.latest;
    this.latest = null;
    this.count = 0;
    this.send(n);
  }

  /** The connection ended: its batch numbers mean nothing to the next one. */
  reset(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.latest = null;
    this.count = 0;
  }
}
