import { EventEmitter } from "node:events";
import { stripAnsi } from "../ansi.ts";
import { HOOK_AGENTS, PROCESS_STATES, type AgentState, type AgentStatus, type AgentType, type AlertKind, type ErrorReason, type PaneAlert, type PaneInfo, type PaneUpdate, type ProcessState } from "../protocol.ts";
import { isAgentType } from "../topology.ts";
import { Activity } from "./activity.ts";
import { arbitrate, type Decision, type HookState } from "./arbiter.ts";
import { CRASH } from "./error-reason.ts";
import { paneAlert, type PaneAlertKind } from "./pane-alert.ts";
import type { PaneView } from "./pane-view.ts";
import { compileRules, type RuleSources, type StateRules } from "./rules/index.ts";
import { detectStatus, lastLines } from "./status.ts";

export interface MonitorOptions {
  tailLines: number;
  activeMs: number;
  rules: RuleSources;
  criticalPatterns: string[];
  /** States whose entry raises an alert. */
  alertOn: AlertKind[];
  /** The same kind of alert for the same pane at most this often. */
  minAlertIntervalMs: number;
  /** A hook state's life when no newer event follows; after it, the screen alone says. */
  hookQuietMs: number;
  /** Non-agent panes: quiet after this long without output. */
  quietMs?: number;
  /** Non-agent panes: running after this many screen changes within `quietMs`. */
  runningUpdates?: number;
}

/** A hook event's state, as the signal route hands it over. */
export interface HookSignal {
  state: AgentState;
  line: string | null;
  reason?: ErrorReason | undefined;
  resetAt?: string | undefined;
  /** The agent CLI that sent it, so a pane /proc cannot name is still read with its rules. */
  agent?: (typeof HOOK_AGENTS)[number];
}

export interface MonitorEvents {
  status: [AgentStatus];
  alert: [PaneAlert];
}

interface Memo {
  type: AgentType;
  /** The agent exited (or crashed) to the shell: so it stays until the pane runs something new. */
  held: "exited" | "crashed" | null;
}

/**
 * How late a hook may come after the screen showed its state and moved on: within this, a hook that
 * names the screen's previous state describes the past (an approval already given, a turn already
 * over), and the screen's newer state stands.
 */
const HOOK_LAG_MS = 5000;

/**
 * Agents whose screen (and title) shows every state, and whose hooks come after the fact: Codex 0.171
 * runs its hooks one by one while it shows "Running hook", and a turn's Stop was recorded arriving
 * after the next prompt was sent. A decisive screen wins for them; hooks fill in where it says nothing.
 */
const SCREEN_FIRST: ReadonlySet<AgentType> = new Set(["codex"]);

const isProcessState = (s: AgentState): s is ProcessState => (PROCESS_STATES as readonly string[]).includes(s);

/**
 * Watches every pane for its agent's state. An agent pane (its foreground program is an agent CLI,
 * or its agent's hooks speak for it) is read from its agent's hook events and its screen, arbitrated
 * so they never fight (arbiter.ts); any other pane is `running` or `quiet` from its output alone
 * (activity.ts), never an agent state and never an alert. An agent that exits to the shell is
 * `exited` (or `error`/`crashed` when a crash is on screen) until the pane runs something new. A
 * change of state, of agent type or of source is a status; entering a state in `alertOn` raises an
 * alert, and so does a new line matching a critical pattern, at most once per `minAlertIntervalMs`.
 */
export class AgentMonitor extends EventEmitter<MonitorEvents> {
  private readonly tracker: PaneView;
  private readonly opts: MonitorOptions;
  private readonly rules: Record<AgentType, StateRules>;
  private readonly critical: RegExp[];
  private readonly activity: Activity;
  private readonly states = new Map<string, AgentStatus>();
  private readonly memos = new Map<string, Memo>();
  private readonly lastOutput = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly lastAlert = new Map<string, number>();
  private readonly hooks = new Map<string, HookState & { agent: AgentType | null }>();
  /** Each agent pane's last decisive screen state, the one before it, and when it changed. */
  private readonly screens = new Map<string, { state: AgentState; previous: AgentState | null; at: number }>();

  constructor(tracker: PaneView, opts: MonitorOptions) {
    super();
    this.tracker = tracker;
    this.opts = opts;
    this.rules = compileRules(opts.rules);
    this.critical = opts.criticalPatterns.map((p) => new RegExp(p, "i"));
    this.activity = new Activity({ quietMs: opts.quietMs ?? 5000, runningUpdates: opts.runningUpdates ?? 3 });
    tracker.on("update", (u) => this.onUpdate(u));
    tracker.on("removed", (pane) => this.forget(pane));
    tracker.titles?.on("changed", (pane) => this.evaluate(pane));
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

  /** A hook event's state for a pane the tracker knows; false when it does not know the pane. */
  signal(paneId: string, state: AgentState, line: string | null, extra: Omit<HookSignal, "state" | "line"> = {}): boolean {
    if (!this.tracker.pane(paneId)) return false;
    const memo = this.memos.get(paneId);
    // An agent that runs again after an exit ends the exit; a hook the exited agent sent late (Gemini
    // CLI runs its hooks one after another, after the fact) while the pane is back at its shell does not.
    if (memo && state !== "exited" && isAgentType(this.tracker.pane(paneId)?.agentType ?? "other")) memo.held = null;
    const prev = this.states.get(paneId);
    const now = Date.now();
    const shown = this.screens.get(paneId);
    const late = shown !== undefined && shown.previous === state && shown.state !== state && now - shown.at < HOOK_LAG_MS;
    this.hooks.set(paneId, {
      state,
      line,
      reason: extra.reason,
      resetAt: extra.resetAt,
      at: now,
      // A late hook counts the screen's newer state as moved on from it.
      screenSeen: late ? state : prev?.source === "screen" && !isProcessState(prev.state) ? prev.state : (this.hooks.get(paneId)?.screenSeen ?? null),
      agent: extra.agent ?? null,
    });
    this.evaluate(paneId);
    return true;
  }

  private panes(): PaneInfo[] {
    return this.tracker.topology.sessions.flatMap((s) => s.windows.flatMap((w) => w.panes));
  }

  private onUpdate(u: PaneUpdate): void {
    const hadFrame = u.base !== 0;
    const now = Date.now();
    this.lastOutput.set(u.pane, now);
    // The first frame is what was there, not output.
    if (hadFrame) this.activity.note(u.pane, now);
    this.evaluate(u.pane);
    if (hadFrame && this.critical.length > 0 && u.delta.kind === "diff") {
      for (const [, line] of u.delta.set) {
        const plain = stripAnsi(line).trim();
        if (plain && this.critical.some((re) => re.test(plain))) {
          this.alert(u.pane, "critical", plain, null);
          break;
        }
      }
    }
  }

  private evaluate(paneId: string): void {
    const info = this.tracker.pane(paneId);
    const frame = this.tracker.frame(paneId);
    if (!info || (!frame && !info.dead)) return;
    const now = Date.now();
    const lines = frame?.lines ?? [];
    const memo = this.track(paneId, info.agentType, lines);
    const hook = this.hooks.get(paneId);
    // A pane /proc calls a shell or another program is still an agent's while its agent's hooks speak for it.
    const type = isAgentType(info.agentType) ? info.agentType : hook?.agent && now - hook.at < this.opts.hookQuietMs ? hook.agent : info.agentType;
    const prev = this.states.get(paneId);
    let decided: Decision;
    let recheckAt: number | null = null;
    if (info.dead) decided = { state: "exited", line: null, source: "screen", dropHook: false };
    else if (memo.held) decided = memo.held === "crashed" ? { state: "error", line: crashLine(lines), source: "screen", reason: "crashed", dropHook: true } : { state: "exited", line: null, source: "screen", dropHook: true };
    else if (isAgentType(type)) {
      const sinceOutput = now - (this.lastOutput.get(paneId) ?? 0);
      let screen = detectStatus({ agentType: type, lines, dead: false, atShell: false, recentlyActive: sinceOutput < this.opts.activeMs, title: info.title }, this.rules, this.opts.tailLines, new Date(now));
      // A frame torn mid-redraw keeps the state while output flows (Gemini CLI tears its hooks' status
      // line mid-turn and after Esc alike); once the pane is quiet, its activity says.
      if (screen.unsettled && sinceOutput < this.opts.activeMs && prev && !isProcessState(prev.state)) screen = { ...screen, state: prev.state, line: prev.line, reason: prev.reason, resetAt: prev.resetAt };
      // An agent judged by its activity turns idle once it has been quiet long enough: look again then.
      const shown = this.screens.get(paneId);
      if (screen.decisive && shown?.state !== screen.state) this.screens.set(paneId, { state: screen.state, previous: shown?.state ?? null, at: now });
      if (!screen.decisive && sinceOutput < this.opts.activeMs && (screen.state === "working" || screen.unsettled)) recheckAt = now + this.opts.activeMs - sinceOutput;
      decided = arbitrate(hook, screen, now, this.opts.hookQuietMs, SCREEN_FIRST.has(type));
      if (!decided.dropHook && decided.source === "hook" && hook) recheckAt = Math.min(recheckAt ?? Infinity, hook.at + this.opts.hookQuietMs);
    } else {
      const a = this.activity.state(paneId, prev && isProcessState(prev.state) ? prev.state : null, now);
      decided = { state: a.state, line: null, source: "screen", dropHook: true };
      recheckAt = a.recheckAt;
    }
    if (decided.dropHook) this.hooks.delete(paneId);
    this.schedule(paneId, recheckAt, now);
    this.publish(paneId, prev, decided, type);
  }

  /** Notes the pane's program; an agent giving way to a non-agent program is an exit (or a crash). */
  private track(paneId: string, type: AgentType, lines: readonly string[]): Memo {
    const memo = this.memos.get(paneId);
    if (!memo) {
      const fresh: Memo = { type, held: null };
      this.memos.set(paneId, fresh);
      return fresh;
    }
    if (memo.type !== type) {
      memo.held = isAgentType(memo.type) && !isAgentType(type) ? (crashLine(lines) ? "crashed" : "exited") : null;
      if (memo.held) this.hooks.delete(paneId);
      memo.type = type;
    }
    return memo;
  }

  private publish(paneId: string, prev: AgentStatus | undefined, d: Decision, type: AgentType): void {
    const same = prev && prev.state === d.state && prev.agentType === type && prev.reason === d.reason;
    if (same && prev.source === d.source) {
      if (prev.line !== d.line || prev.resetAt !== d.resetAt) this.states.set(paneId, withError({ ...prev, line: d.line }, d));
      return;
    }
    if (same) {
      // Same state, new source: clients show where it came from, but it is no new state to alert on.
      const status = withError({ ...prev, previous: prev.state, source: d.source, line: d.line }, d);
      this.states.set(paneId, status);
      this.emit("status", status);
      return;
    }
    const status = withError({ pane: paneId, source: d.source, state: d.state, previous: prev?.state ?? null, agentType: type, since: prev?.state === d.state ? prev.since : new Date().toISOString(), line: d.line }, d);
    this.states.set(paneId, status);
    this.emit("status", status);
    const entered = !prev || prev.state !== d.state;
    if (prev && entered && !isProcessState(d.state) && (this.opts.alertOn as string[]).includes(d.state)) this.alert(paneId, d.state as Exclude<AlertKind, "node-offline">, d.line, status);
  }

  private schedule(paneId: string, at: number | null, now: number): void {
    const t = this.timers.get(paneId);
    if (t) clearTimeout(t);
    this.timers.delete(paneId);
    if (at === null || !Number.isFinite(at)) return;
    const timer = setTimeout(() => {
      this.timers.delete(paneId);
      this.evaluate(paneId);
    }, Math.max(0, at - now) + 5);
    timer.unref();
    this.timers.set(paneId, timer);
  }

  private alert(paneId: string, kind: PaneAlertKind, line: string | null, status: AgentStatus | null): void {
    const key = `${paneId}/${kind}`;
    const now = Date.now();
    if (now - (this.lastAlert.get(key) ?? -Infinity) < this.opts.minAlertIntervalMs) return;
    this.lastAlert.set(key, now);
    const info = this.tracker.pane(paneId);
    if (info) this.emit("alert", paneAlert(paneId, info, kind, line, status, now));
  }

  private forget(pane: string): void {
    this.states.delete(pane);
    this.hooks.delete(pane);
    this.screens.delete(pane);
    this.memos.delete(pane);
    this.activity.forget(pane);
    this.lastOutput.delete(pane);
    const t = this.timers.get(pane);
    if (t) clearTimeout(t);
    this.timers.delete(pane);
    for (const key of [...this.lastAlert.keys()]) if (key.startsWith(`${pane}/`)) this.lastAlert.delete(key);
  }
}

function withError(s: AgentStatus, d: Decision): AgentStatus {
  const out: AgentStatus = { pane: s.pane, source: s.source, state: s.state, previous: s.previous, agentType: s.agentType, since: s.since, line: s.line };
  if (s.state === "error") {
    out.reason = d.reason ?? "unknown";
    if (d.resetAt) out.resetAt = d.resetAt;
  }
  return out;
}

/** The crash line in the last lines of a screen (a traceback, a panic), or null. */
function crashLine(lines: readonly string[]): string | null {
  return lastLines(lines, 12).find((l) => CRASH.test(l))?.trim() ?? null;
}
