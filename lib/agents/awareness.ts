import { EventEmitter } from "node:events";
import type { Config } from "../config.ts";
import { EventLog } from "../events/event-log.ts";
import { topologyEvents } from "../events/topology-events.ts";
import type { PaneView } from "./pane-view.ts";
import { PROCESS_STATES, type SessionsPayload, type Topology } from "../protocol.ts";
import { allPanes } from "../topology.ts";
import type { Audience } from "./audience.ts";
import { GitWatcher } from "./git.ts";
import { AgentMonitor } from "./monitor.ts";
import { ResourceSampler } from "./resources.ts";
import { WebhookSender } from "../notify/webhooks.ts";

/**
 * What panecast knows about the agents beyond their screens: state and alerts (AgentMonitor),
 * the webhook sender (fed by lib/notify's Notifier), process resources, git state, and the event stream derived from all of it. Resource and
 * git sampling run only while at least one client watches.
 */
export class Awareness extends EventEmitter<{ changed: [] }> {
  readonly monitor: AgentMonitor;
  readonly webhooks: WebhookSender;
  readonly resources: ResourceSampler;
  readonly git: GitWatcher;
  readonly events: EventLog;
  private readonly tracker: PaneView;
  private readonly config: Config;
  private readonly audience: Audience;
  private prevTopology: Topology = { sessions: [] };

  constructor(tracker: PaneView, config: Config, epoch: string, audience: Audience) {
    super();
    this.tracker = tracker;
    this.config = config;
    this.audience = audience;
    this.events = new EventLog(epoch, config.events.ring_size);
    this.monitor = new AgentMonitor(tracker, {
      tailLines: config.agents.tail_lines,
      activeMs: config.agents.active_ms,
      rules: config.agents.rules,
      criticalPatterns: config.alerts.critical_patterns,
      alertOn: config.alerts.on_states,
      minAlertIntervalMs: config.alerts.min_interval_ms,
      hookQuietMs: config.agents.hook_quiet_ms,
      quietMs: config.agents.quiet_ms,
      runningUpdates: config.agents.running_updates,
    });
    this.webhooks = new WebhookSender(config.alerts.webhooks, { publicUrl: config.server.public_url });
    const panes = () => allPanes(this.tracker.topology);
    this.resources = new ResourceSampler(() => new Map(panes().flatMap((p) => (p.pid ? [[p.id, p.pid] as const] : []))), {
      intervalMs: config.resources.interval_ms,
      maxIntervalMs: config.resources.max_interval_ms,
      audience,
    });
    this.git = new GitWatcher(() => new Map(panes().flatMap((p) => (p.cwd ? [[p.id, p.cwd] as const] : []))), {
      pollIntervalMs: config.git.poll_interval_ms,
      debounceMs: config.git.debounce_ms,
      maxWatchers: config.git.max_watchers,
      maxConcurrent: config.git.max_concurrent,
      timeoutMs: config.git.timeout_ms,
    });

    tracker.on("topology", (t) => {
      for (const e of topologyEvents(this.prevTopology, t)) this.events.append(e);
      this.prevTopology = t;
      this.git.panesChanged();
      this.emit("changed");
    });
    this.monitor.on("status", (s) => {
      const p = tracker.pane(s.pane);
      this.events.append({
        // A non-agent pane's running/quiet is its own, opt-in event type: it would drown the agents'.
        type: (PROCESS_STATES as readonly string[]).includes(s.state) ? "pane.activity" : "agent.status",
        session: p?.sessionName ?? null,
        window: p?.windowIndex ?? null,
        windowId: p?.windowId ?? null,
        pane: s.pane,
        data: { state: s.state, previous: s.previous, source: s.source, agentType: s.agentType, agentId: p?.agentId ?? null, line: s.line, ...(s.reason ? { reason: s.reason } : {}), ...(s.resetAt ? { resetAt: s.resetAt } : {}) },
      });
      this.emit("changed");
    });
    this.monitor.on("alert", (a) => {
      const p = tracker.pane(a.pane);
      this.events.append({ type: "pane.alert", session: a.session, window: a.window, windowId: p?.windowId ?? null, pane: a.pane, data: { ...a } });
    });
    this.git.on("changed", () => this.emit("changed"));
    tracker.on("update", (u) => {
      this.git.noteOutput(u.pane);
      this.resources.wake();
    });
  }

  /** Starts or stops the samplers with the number of clients watching (here, or in a cluster anywhere). */
  watchers(count: number): void {
    const watched = count > 0 || this.audience.clientCount() > 0;
    this.resources.setActive(watched && this.config.resources.enabled);
    this.git.setActive(watched && this.config.git.enabled);
  }

  /** The whole fleet (seed 002's `sessions`), limited to the sessions `visible` allows. */
  sessions(visible: ((session: string) => boolean) | null = null): SessionsPayload {
    const sessions = visible ? this.tracker.topology.sessions.filter((s) => visible(s.name)) : this.tracker.topology.sessions;
    const ids = new Set(sessions.flatMap((s) => s.windows.flatMap((w) => w.panes.map((p) => p.id))));
    const status = Object.fromEntries(Object.entries(this.monitor.statuses()).filter(([id]) => ids.has(id)));
    const git = Object.fromEntries(Object.entries(this.git.state).filter(([id]) => ids.has(id)));
    return { type: "sessions", sessions, status, git };
  }

  stop(): void {
    this.monitor.stop();
    this.webhooks.stop();
    this.resources.stop();
    this.git.stop();
  }
}
