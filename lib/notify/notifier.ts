import type { AgentStatus, PaneAlert } from "../protocol.ts";
import { inQuietHours, type QuietHours } from "./quiet-hours.ts";

/** Where an alert goes once it is worth a person's attention: webhooks, Web Push. */
export interface AlertSink {
  send(alert: PaneAlert): void;
}

/** What the notifier needs of the agent monitor: its alerts, and each pane's state now. */
export interface AlertSource {
  on(event: "alert", listener: (a: PaneAlert) => void): unknown;
  off(event: "alert", listener: (a: PaneAlert) => void): unknown;
  status(pane: string): AgentStatus | undefined;
}

/** Alerts from elsewhere than the monitor (a cluster node went offline), each saying whether it is still due. */
export interface HeldAlerts {
  on(event: "alert", listener: (a: PaneAlert, stillDue: () => boolean) => void): unknown;
  off(event: "alert", listener: (a: PaneAlert, stillDue: () => boolean) => void): unknown;
}

export interface NotifierOptions {
  /** A waiting-for-input that resolves within this is not sent. */
  graceMs: number;
  quietHours: QuietHours | null;
  /** Whether an alert's pane is muted for everyone (`notify.mute`): then nothing is sent for it. */
  muted?: (alert: PaneAlert) => boolean;
  /** Node lifecycle alerts in a cluster (lib/cluster/lifecycle.ts); held for the grace like a question. */
  held?: HeldAlerts | null;
}

const MAX_PENDING = 1000;

/**
 * Takes the agent monitor's alerts to the sinks that reach a person, with less noise than the page
 * gets: a question the agent answers itself (or the person answers at once) within `graceMs` is not
 * sent, nothing is sent in the quiet hours, nor for a muted pane. The monitor already bounds alerts per pane and kind.
 */
export class Notifier {
  private readonly monitor: AlertSource;
  private readonly sinks: AlertSink[];
  private readonly opts: NotifierOptions;
  private readonly pending = new Map<string, NodeJS.Timeout>();
  readonly stats = { sent: 0, resolvedInGrace: 0, quiet: 0, muted: 0 };
  private readonly onAlert = (a: PaneAlert): void => this.receive(a);
  /** An alert from elsewhere than the monitor: sent after the grace only if `stillDue` says so then (the node is not back). */
  private readonly onHeld = (a: PaneAlert, stillDue: () => boolean): void => this.hold(a, stillDue);

  constructor(monitor: AlertSource, sinks: AlertSink[], opts: NotifierOptions) {
    this.monitor = monitor;
    this.sinks = sinks;
    this.opts = opts;
    monitor.on("alert", this.onAlert);
    opts.held?.on("alert", this.onHeld);
  }

  stop(): void {
    this.monitor.off("alert", this.onAlert);
    this.opts.held?.off("alert", this.onHeld);
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
  }


  private receive(alert: PaneAlert): void {
    if (this.opts.muted?.(alert)) {
      this.stats.muted++;
      return;
    }
    if (alert.kind !== "waiting-for-input") return this.deliver(alert);
    this.hold(alert, () => {
      const now = this.monitor.status(alert.pane);
      // Still the same wait: the pane has not left waiting-for-input since the alert.
      return now !== undefined && now.state === "waiting-for-input" && Date.parse(now.since) <= Date.parse(alert.at);
    });
  }

  private hold(alert: PaneAlert, stillDue: () => boolean): void {
    if (this.opts.graceMs === 0 || this.pending.size >= MAX_PENDING) return this.deliver(alert);
    const timer = setTimeout(() => {
      this.pending.delete(alert.id);
      if (stillDue()) this.deliver(alert);
      else this.stats.resolvedInGrace++;
    }, this.opts.graceMs);
    timer.unref();
    this.pending.set(alert.id, timer);
  }

  private deliver(alert: PaneAlert): void {
    if (inQuietHours(this.opts.quietHours)) {
      this.stats.quiet++;
      return;
    }
    this.stats.sent++;
    for (const sink of this.sinks) sink.send(alert);
  }
}
