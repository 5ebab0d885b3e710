import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { stripAnsi } from "../ansi.ts";
import type { AgentStatus, AgentType, AlertKind, PaneAlert, PaneInfo, PaneUpdate } from "../protocol.ts";
import { isShellCommand } from "../panes/agent-type.ts";
import type { PaneView } from "./pane-view.ts";
import { compileRules, detectStatus, type RuleSources, type StateRules } from "./status.ts";

export interface MonitorOptions {
  tailLines: number;
  activeMs: number;
  rules: RuleSources;
  criticalPatterns: string[];
  /** States whose entry raises an alert. */
  alertOn: AlertKind[];
  /** The same kind of alert for the same pane at most this often. */
  minAlertIntervalMs: number;
}

export interface MonitorEvents {
  status: [AgentStatus];
  alert: [PaneAlert];
}

/**
 * Watches every pane's screen for its agent's state. Each new frame is read (its last lines only);
 * a change of state is an `agent:status` with the previous state, and entering a state listed in
 * `alertOn` (waiting for input, error) raises an alert. New lines that match a critical pattern raise
 * one too. Alerts are bounded per pane and kind by `minAlertIntervalMs`.
 */
export class AgentMonitor extends EventEmitter<MonitorEvents> {
  private readonly tracker: PaneView;
  private readonly opts: MonitorOptions;
  private readonly rules: Record<AgentType, StateRules>;
  private readonly critical: RegExp[];
  private readonly states = new Map<string, AgentStatus>();
  private readonly lastOutput = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly lastAlert = new Map<string, number>();

  constructor(tracker: PaneView, opts: MonitorOptions) {
    super();
    this.tracker = tracker;
    this.opts = opts;
    this.rules = compileRules(opts.rules);
    this.critical = opts.criticalPatterns.map((p) => new RegExp(p, "i"));
    tracker.on("update", (u) => this.onUpdate(u));
    tracker.on("removed", (pane) => this.forget(pane));
    tracker.on("topology", () => {
      for (const p of this.panes()) this.evaluate(p.id);
    });
  }

  statuses(): Record<string, AgentStatus> {
    return Object.fromEntries(this.states);
  }

  status(pane: string): AgentStatus | undefined {
    return this.states.get(pane);
  }

  stop(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private panes(): PaneInfo[] {
    return this.tracker.topology.sessions.flatMap((s) => s.windows.flatMap((w) => w.panes));
  }

  private onUpdate(u: PaneUpdate): void {
    const hadFrame = u.base !== 0;
    this.lastOutput.set(u.pane, Date.now());
    this.evaluate(u.pane);
    if (hadFrame && this.critical.length > 0 && u.delta.kind === "diff") {
      for (const [, line] of u.delta.set) {
        const plain = stripAnsi(line).trim();
        if (plain && this.critical.some((re) => re.test(plain))) {
          this.alert(u.pane, "critical", plain);
          break;
        }
      }
    }
  }

  private evaluate(paneId: string): void {
    const info = this.tracker.pane(paneId);
    const frame = this.tracker.frame(paneId);
    if (!info || (!frame && !info.dead)) return;
    const last = this.lastOutput.get(paneId) ?? 0;
    const sinceOutput = Date.now() - last;
    const detected = detectStatus(
      {
        agentType: info.agentType,
        lines: frame?.lines ?? [],
        dead: info.dead,
        atShell: isShellCommand(info.command),
        recentlyActive: sinceOutput < this.opts.activeMs,
      },
      this.rules,
      this.opts.tailLines,
    );
    // A pane judged by its activity turns idle once it has been quiet long enough: look again then.
    const t = this.timers.get(paneId);
    if (t) clearTimeout(t);
    this.timers.delete(paneId);
    if (detected.state === "working" && detected.line === null && sinceOutput < this.opts.activeMs) {
      const timer = setTimeout(() => {
        this.timers.delete(paneId);
        this.evaluate(paneId);
      }, this.opts.activeMs - sinceOutput + 5);
      timer.unref();
      this.timers.set(paneId, timer);
    }
    const prev = this.states.get(paneId);
    if (prev && prev.state === detected.state && prev.line === detected.line) return;
    if (prev && prev.state === detected.state) {
      this.states.set(paneId, { ...prev, line: detected.line });
      return;
    }
    const status: AgentStatus = {
      pane: paneId,
      state: detected.state,
      previous: prev?.state ?? null,
      agentType: info.agentType,
      since: new Date().toISOString(),
      line: detected.line,
    };
    this.states.set(paneId, status);
    this.emit("status", status);
    if (prev && (this.opts.alertOn as string[]).includes(detected.state)) this.alert(paneId, detected.state as AlertKind, detected.line);
  }

  private alert(paneId: string, kind: AlertKind, line: string | null): void {
    const key = `${paneId}/${kind}`;
    const now = Date.now();
    if (now - (this.lastAlert.get(key) ?? -Infinity) < this.opts.minAlertIntervalMs) return;
    this.lastAlert.set(key, now);
    const info = this.tracker.pane(paneId);
    if (!info) return;
    const who = info.agentId ?? `${info.sessionName}:${info.windowIndex}.${info.index}`;
    const message = {
      "waiting-for-input": `${who} is waiting for input`,
      error: `${who} hit an error`,
      exited: `${who} exited`,
      critical: `${who}: ${line ?? "critical output"}`,
    }[kind];
    this.emit("alert", {
      id: randomUUID(),
      kind,
      pane: paneId,
      session: info.sessionName,
      window: info.windowIndex,
      agentId: info.agentId,
      message,
      line: line?.slice(0, 500) ?? null,
      at: new Date(now).toISOString(),
    });
  }

  private forget(pane: string): void {
    this.states.delete(pane);
    this.lastOutput.delete(pane);
    const t = this.timers.get(pane);
    if (t) clearTimeout(t);
    this.timers.delete(pane);
    for (const key of [...this.lastAlert.keys()]) if (key.startsWith(`${pane}/`)) this.lastAlert.delete(key);
  }
}
