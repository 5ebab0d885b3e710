import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { stripAnsi } from "../ansi.ts";
import type { AgentState, AgentStateSource, AgentStatus, AgentType, AlertKind, PaneAlert, PaneInfo, PaneUpdate } from "../protocol.ts";
import { isShellCommand } from "../topology.ts";
import type { PaneView } from "./pane-view.ts";
import { compileRules, detectStatus, type Detected, type RuleSources, type StateRules } from "./status.ts";

export interface MonitorOptions {
  tailLines: number;
  activeMs: number;
  rules: RuleSources;
  criticalPatterns: string[];
  /** States whose entry raises an alert. */
  alertOn: AlertKind[];
  /** The same kind of alert for the same pane at most this often. */
  minAlertIntervalMs: number;
  /** A hook signal holds against the screen this long; after it, a decisive screen takes over. */
  hookQuietMs: number;
}

interface HookState {
  state: AgentState;
  line: string | null;
  at: number;
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
 *
 * An agent's own hook signal (`signal`) outranks the screen for its pane. Hooks have gaps (Stop does
 * not fire on an interrupt, MCP prompts fire nothing, PreToolUse can follow a permission prompt), so
 * once the last signal is `hookQuietMs` old, a screen that says something decisive and different
 * takes the pane back.
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
  private readonly hooks = new Map<string, HookState>();
  private readonly quietTimers = new Map<string, NodeJS.Timeout>();

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
    for (const t of this.quietTimers.values()) clearTimeout(t);
    this.quietTimers.clear();
  }

  /** A hook event's state for a pane the tracker knows; false when it does not know the pane. */
  signal(paneId: string, state: AgentState, line: string | null): boolean {
    if (!this.tracker.pane(paneId)) return false;
    this.hooks.set(paneId, { state, line, at: Date.now() });
    const t = this.quietTimers.get(paneId);
    if (t) clearTimeout(t);
    // When the hooks go quiet, the screen gets its say even if it does not change again.
    const timer = setTimeout(() => {
      this.quietTimers.delete(paneId);
      this.evaluate(paneId);
    }, this.opts.hookQuietMs + 5);
    timer.unref();
    this.quietTimers.set(paneId, timer);
    this.evaluate(paneId);
    return true;
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
    const decided = this.decide(paneId, detected);
    const prev = this.states.get(paneId);
    if (prev && prev.state === decided.state && prev.source === decided.source && prev.line === decided.line) return;
    if (prev && prev.state === decided.state && prev.source === decided.source) {
      this.states.set(paneId, { ...prev, line: decided.line });
      return;
    }
    if (prev && prev.state === decided.state) {
      // Same state, new source: clients show where it came from, but it is no new state to alert on.
      const status = { ...prev, previous: prev.state, source: decided.source, line: decided.line };
      this.states.set(paneId, status);
      this.emit("status", status);
      return;
    }
    const status: AgentStatus = {
      pane: paneId,
      source: decided.source,
      state: decided.state,
      previous: prev?.state ?? null,
      agentType: info.agentType,
      since: new Date().toISOString(),
      line: decided.line,
    };
    this.states.set(paneId, status);
    this.emit("status", status);
    if (prev && (this.opts.alertOn as string[]).includes(decided.state)) this.alert(paneId, decided.state as Exclude<AlertKind, "node-offline">, decided.line);
  }

  /** Hook or screen: the hook's state while it is fresh, or while the screen says nothing decisive. */
  private decide(paneId: string, screen: Detected): { state: AgentState; line: string | null; source: AgentStateSource } {
    const hook = this.hooks.get(paneId);
    const fromScreen = { state: screen.state, line: screen.line, source: "screen" as const };
    if (!hook) return fromScreen;
    const dead = screen.state === "exited" && screen.decisive;
    const fresh = Date.now() - hook.at < this.opts.hookQuietMs;
    if (!dead && (fresh || !screen.decisive || screen.state === hook.state)) {
      return { state: hook.state, line: hook.line ?? (screen.state === hook.state ? screen.line : null), source: "hook" };
    }
    this.hooks.delete(paneId);
    return fromScreen;
  }

  private alert(paneId: string, kind: Exclude<AlertKind, "node-offline">, line: string | null): void {
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
    this.hooks.delete(pane);
    const q = this.quietTimers.get(pane);
    if (q) clearTimeout(q);
    this.quietTimers.delete(pane);
    this.lastOutput.delete(pane);
    const t = this.timers.get(pane);
    if (t) clearTimeout(t);
    this.timers.delete(pane);
    for (const key of [...this.lastAlert.keys()]) if (key.startsWith(`${pane}/`)) this.lastAlert.delete(key);
  }
}
