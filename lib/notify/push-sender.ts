import type { Agent } from "node:https";
import webpush from "web-push";
import { sessionVisible, type Principal } from "../auth/principal.ts";
import type { PaneAlert } from "../protocol.ts";
import type { AlertSink } from "./notifier.ts";
import type { PushSubscriptions } from "./push-store.ts";
import type { VapidKeys } from "./vapid.ts";
import { agentName } from "./webhook-format.ts";

export interface PushSenderOptions {
  vapid: VapidKeys;
  subject: string;
  ttlSeconds: number;
  /** The page's base path: a notification's click opens `${basePath}/?pane=…`. */
  basePath: string;
  /** Who a subscription's token is now (null: revoked or expired: its subscriptions are dropped). */
  principalOf: (tokenId: string) => Principal | null;
  /** A TLS agent for the push services (tests trust their own push server through it). */
  agent?: Agent;
  concurrency?: number;
  maxQueue?: number;
  /** The buttons of one subscription's notification (lib/needs-you/push-actions); none: "Open" only. */
  actions?: PushActions;
}

export type PushActions = (alert: PaneAlert, principal: Principal) => Promise<Pick<PushPayload, "actions" | "answer"> | null>;

/** What the service worker gets: enough to show the notification and open the pane. */
export interface PushPayload {
  title: string;
  body: string;
  tag: string;
  url: string;
  kind: PaneAlert["kind"];
  pane: string;
  /** Buttons (`answer:N`, `open`); an operator's may answer with `answer` (lib/needs-you/push-actions). */
  actions?: Array<{ action: string; title: string }>;
  answer?: { url: string; capability: string };
}

/**
 * Web Push (RFC 8030/8291/8292, through the `web-push` package): every alert goes to the
 * subscriptions of the tokens that may see its pane, encrypted for each browser. A subscription the
 * push service calls gone (404, 410) is dropped. Deliveries run a few at a time from a bounded queue.
 */
export class PushSender implements AlertSink {
  private readonly store: PushSubscriptions;
  private readonly opts: PushSenderOptions;
  private readonly queue: Array<{ endpoint: string; keys: { p256dh: string; auth: string }; payload: string }> = [];
  private running = 0;
  private stopped = false;
  readonly stats = { delivered: 0, failed: 0, dropped: 0, gone: 0 };

  constructor(store: PushSubscriptions, opts: PushSenderOptions) {
    this.store = store;
    this.opts = opts;
  }

  send(alert: PaneAlert): void {
    if (this.stopped) return;
    void this.enqueue(alert);
  }

  private async enqueue(alert: PaneAlert): Promise<void> {
    const payload: PushPayload = {
      title: `${agentName(alert)}: ${alert.kind === "waiting-for-input" ? "waiting for input" : alert.kind}`,
      body: alert.line && alert.line !== alert.message ? `${alert.message}\n${alert.line}` : alert.message,
      tag: `${alert.pane}/${alert.kind}`,
      url: `${this.opts.basePath}/?pane=${encodeURIComponent(alert.pane)}`,
      kind: alert.kind,
      pane: alert.pane,
    };
    const json = JSON.stringify(payload);
    for (const entry of [...this.store.list()]) {
      const principal = this.opts.principalOf(entry.tokenId);
      if (!principal) {
        // This token's entry only: the same browser may be subscribed for another token too.
        this.store.remove(entry.tokenId, entry.endpoint);
        continue;
      }
      if (!sessionVisible(principal, alert.session)) continue;
      // Answer buttons need a capability stored first (in Redis when clustered); without one, "Open" only.
      const extra = this.opts.actions ? await this.opts.actions(alert, principal).catch(() => ({ actions: [{ action: "open", title: "Open" }] })) : null;
      if (this.stopped) return;
      if (this.queue.length >= (this.opts.maxQueue ?? 1000)) {
        this.queue.shift();
        this.stats.dropped++;
      }
      this.queue.push({ endpoint: entry.endpoint, keys: entry.keys, payload: extra ? JSON.stringify({ ...payload, ...extra }) : json });
      this.pump();
    }
  }

  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
  }

  private pump(): void {
    while (!this.stopped && this.running < (this.opts.concurrency ?? 4) && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running++;
      void this.deliver(job).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async deliver(job: { endpoint: string; keys: { p256dh: string; auth: string }; payload: string }): Promise<void> {
    try {
      await webpush.sendNotification({ endpoint: job.endpoint, keys: job.keys }, job.payload, {
        vapidDetails: { subject: this.opts.subject, publicKey: this.opts.vapid.publicKey, privateKey: this.opts.vapid.privateKey },
        TTL: this.opts.ttlSeconds,
        urgency: "high",
        timeout: 5000,
        contentEncoding: "aes128gcm",
        ...(this.opts.agent ? { agent: this.opts.agent } : {}),
      });
      this.stats.delivered++;
    } catch (err) {
      const status = (err as { statusCode?: unknown }).statusCode;
      if (status === 404 || status === 410) {
        this.stats.gone++;
        this.store.drop(job.endpoint);
        return;
      }
      this.stats.failed++;
    }
  }
}
