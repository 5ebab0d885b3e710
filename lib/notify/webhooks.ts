import type { AlertKind, PaneAlert, WebhookFormat } from "../protocol.ts";
import { formatWebhook, type FormattedRequest } from "./webhook-format.ts";

export interface Webhook {
  url: string;
  format?: WebhookFormat | undefined;
  template?: string | undefined;
  /** Extra headers (env references already expanded by the config loader). */
  headers?: Record<string, string> | undefined;
  kinds?: AlertKind[] | undefined;
  timeout_ms: number;
  retries: number;
}

interface Job {
  hook: Webhook;
  request: FormattedRequest;
  attempt: number;
}

/** The longest Retry-After honoured; a service asking for more is retried after this. */
const MAX_RETRY_AFTER_MS = 10 * 60_000;

/**
 * POSTs alerts to the configured URLs, each in its format (generic JSON, Slack, Discord, ntfy, a
 * template): each try has a timeout, failures are retried with exponential backoff (or after the
 * service's Retry-After on 429/503), at most `concurrency` requests run at once, and the queue is bounded (the
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

  private readonly publicUrl: string | null;

  constructor(hooks: Webhook[], opts: { concurrency?: number; maxQueue?: number; retryBaseMs?: number; publicUrl?: string | null } = {}) {
    this.hooks = hooks;
    this.publicUrl = opts.publicUrl ?? null;
    this.concurrency = opts.concurrency ?? 4;
    this.maxQueue = opts.maxQueue ?? 1000;
    this.retryBaseMs = opts.retryBaseMs ?? 500;
  }

  send(alert: PaneAlert): void {
    if (this.stopped) return;
    for (const hook of this.hooks) {
      if (hook.kinds && !hook.kinds.includes(alert.kind)) continue;
      const request = formatWebhook(alert, { format: hook.format ?? "generic", template: hook.template, publicUrl: this.publicUrl });
      this.enqueue({ hook, request, attempt: 0 });
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
    let waitMs: number | null = null;
    try {
      const res = await fetch(job.hook.url, {
        method: "POST",
        headers: { "user-agent": "panecast-webhook", ...job.request.headers, ...job.hook.headers },
        body: job.request.body,
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
      if (res.status === 429 || res.status === 503) waitMs = retryAfterMs(res.headers.get("retry-after"));
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
    }, waitMs ?? this.retryBaseMs * 2 ** job.attempt);
    timer.unref();
    this.timers.add(timer);
  }
}

/** Retry-After as delay-seconds or an HTTP date, in ms (bounded); null when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const v = value.trim();
  const ms = /^\d{1,9}$/.test(v) ? Number(v) * 1000 : Date.parse(v) - now;
  if (!Number.isFinite(ms)) return null;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}
