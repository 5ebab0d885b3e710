import type { AlertKind, PaneAlert } from "../protocol.ts";

export interface Webhook {
  url: string;
  kinds?: AlertKind[] | undefined;
  timeout_ms: number;
  retries: number;
}

interface Job {
  hook: Webhook;
  body: string;
  attempt: number;
}

/**
 * POSTs alerts as JSON to the configured URLs: each try has a timeout, failures are retried with
 * exponential backoff, at most `concurrency` requests run at once, and the queue is bounded (the
 * oldest waiting delivery is dropped when it is full). Nothing here is awaited by the stream: a slow
 * or dead webhook never slows pane updates.
 */
export class WebhookSender {
  private readonly hooks: Webhook[];
  private readonly queue: Job[] = [];
  private running = 0;
  private readonly concurrency: number;
  private readonly maxQueue: number;
  private readonly retryBaseMs: number;
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  readonly stats = { delivered: 0, failed: 0, retried: 0, dropped: 0 };

  constructor(hooks: Webhook[], opts: { concurrency?: number; maxQueue?: number; retryBaseMs?: number } = {}) {
    this.hooks = hooks;
    this.concurrency = opts.concurrency ?? 4;
    this.maxQueue = opts.maxQueue ?? 1000;
    this.retryBaseMs = opts.retryBaseMs ?? 500;
  }

  send(alert: PaneAlert): void {
    if (this.stopped) return;
    const body = JSON.stringify({ type: "pane.alert", ...alert });
    for (const hook of this.hooks) {
      if (hook.kinds && !hook.kinds.includes(alert.kind)) continue;
      this.enqueue({ hook, body, attempt: 0 });
    }
  }

  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private enqueue(job: Job): void {
    if (this.queue.length >= this.maxQueue) {
      this.queue.shift();
      this.stats.dropped++;
    }
    this.queue.push(job);
    this.pump();
  }

  private pump(): void {
    while (!this.stopped && this.running < this.concurrency && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running++;
      void this.deliver(job).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async deliver(job: Job): Promise<void> {
    try {
      const res = await fetch(job.hook.url, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "panecast-webhook" },
        body: job.body,
        signal: AbortSignal.timeout(job.hook.timeout_ms),
        redirect: "error",
      });
      await res.body?.cancel().catch(() => {});
      if (res.ok) {
        this.stats.delivered++;
        return;
      }
      if (res.status < 500 && res.status !== 429) {
        this.stats.failed++;
        return;
      }
    } catch {
      // Timeout, refused connection: retried below.
    }
    if (job.attempt >= job.hook.retries || this.stopped) {
      this.stats.failed++;
      return;
    }
    this.stats.retried++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.enqueue({ ...job, attempt: job.attempt + 1 });
    }, this.retryBaseMs * 2 ** job.attempt);
    timer.unref();
    this.timers.add(timer);
  }
}
