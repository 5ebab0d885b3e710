import { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { stateOfSignal } from "../../../lib/agents/hook-signal.ts";
import type { PaneView } from "../../../lib/agents/pane-view.ts";
import { AgentMonitor } from "../../../lib/agents/monitor.ts";
import type { Frame, TrackerEvents } from "../../../lib/panes/tracker.ts";
import { frameHash } from "../../../lib/panes/hash.ts";
import type { AgentStatus, AgentType, PaneAlert, PaneInfo, Topology } from "../../../lib/protocol.ts";

/** One step of a recorded run: a frame the tracker read, a hook payload, or keys sent (the approval). */
type Step = { ms: number } & ({ frame: string[] } | { hook: { hook_event_name: string; notification_type?: string } } | { send: unknown });

const screen = (name: string) => readFileSync(path.resolve("tests/fixtures/screens", name), "utf8").split("\n");

/** The panes as a tracker would show them: a topology, frames, and its events. */
class FakeView extends EventEmitter<TrackerEvents> implements PaneView {
  topology: Topology = { sessions: [] };
  private readonly frames = new Map<string, Frame>();

  addPane(id: string, agentType: AgentType): void {
    const pane: PaneInfo = { id, index: 0, sessionId: "$1", sessionName: "agents", windowId: "@1", windowIndex: 0, title: "", command: agentType, agentType, agentId: null, width: 80, height: 24, active: true, dead: false, pid: null, cwd: "/", options: {} };
    const panes = [...(this.topology.sessions[0]?.windows[0]?.panes ?? []), pane];
    this.topology = { sessions: [{ id: "$1", name: "agents", attached: 0, windows: [{ id: "@1", index: 0, name: "w", active: true, panes }] }] };
    this.emit("topology", this.topology);
  }

  show(id: string, lines: string[]): void {
    const prev = this.frames.get(id);
    const seq = (prev?.seq ?? 0) + 1;
    const f: Frame = { lines, text: lines.join("\n"), seq, hash: frameHash(lines), width: 80, height: lines.length };
    this.frames.set(id, f);
    this.emit("update", { pane: id, seq, base: prev ? prev.seq : 0, delta: prev ? { kind: "diff", shift: 0, length: lines.length, set: lines.map((l, i) => [i, l] as [number, string]) } : { kind: "full", lines }, hash: f.hash, width: 80, height: lines.length });
  }

  pane(id: string): PaneInfo | undefined {
    return this.topology.sessions.flatMap((s) => s.windows.flatMap((w) => w.panes)).find((p) => p.id === id);
  }

  frame(id: string): Frame | undefined {
    return this.frames.get(id);
  }
}

const monitors: AgentMonitor[] = [];
afterEach(() => {
  for (const m of monitors.splice(0)) m.stop();
});

function watch(view: FakeView) {
  const m = new AgentMonitor(view, { tailLines: 8, activeMs: 1500, rules: {}, criticalPatterns: ["segmentation fault"], alertOn: ["waiting-for-input", "error"], minAlertIntervalMs: 60_000, hookQuietMs: 60_000 });
  monitors.push(m);
  const statuses: AgentStatus[] = [];
  const alerts: PaneAlert[] = [];
  m.on("status", (s) => statuses.push(s));
  m.on("alert", (a) => alerts.push(a));
  return { m, statuses, alerts };
}

describe("AgentMonitor", () => {
  it("reads an agent's screen into its state, and alerts once when it starts waiting", () => {
    const view = new FakeView();
    const { m, statuses, alerts } = watch(view);
    view.addPane("%1", "claude");
    view.show("%1", screen("claude-idle.txt"));
    expect(m.status("%1")).toMatchObject({ state: "idle", source: "screen", agentType: "claude" });
    view.show("%1", screen("claude-waiting.txt"));
    expect(m.status("%1")).toMatchObject({ state: "waiting-for-input", previous: "idle" });
    view.show("%1", [...screen("claude-waiting.txt")]);
    expect(statuses.map((s) => s.state)).toEqual(["idle", "waiting-for-input"]);
    expect(alerts.map((a) => [a.pane, a.kind])).toEqual([["%1", "waiting-for-input"]]);
  });

  it("gives a pane that runs no agent only running or quiet, whatever its screen says, and never an alert", () => {
    const view = new FakeView();
    const { statuses, alerts } = watch(view);
    view.addPane("%2", "shell");
    view.show("%2", screen("claude-waiting.txt"));
    view.show("%2", ["$ make", "error: build failed", "Do you want to proceed? (y/n)"]);
    expect(statuses.length).toBeGreaterThan(0);
    for (const s of statuses) expect(["running", "quiet"]).toContain(s.state);
    expect(alerts).toEqual([]);
  });

  it("takes a hook's state for a pane it knows, and refuses one for a pane it does not", () => {
    const view = new FakeView();
    const { m } = watch(view);
    view.addPane("%1", "claude");
    view.show("%1", screen("claude-idle.txt"));
    expect(m.signal("%1", "working", "Running tests")).toBe(true);
    expect(m.status("%1")).toMatchObject({ state: "working", source: "hook", line: "Running tests" });
    expect(m.signal("%9", "working", null)).toBe(false);
    expect(m.status("%9")).toBeUndefined();
  });

  it("forgets a pane that is removed", () => {
    const view = new FakeView();
    const { m } = watch(view);
    view.addPane("%1", "claude");
    view.show("%1", screen("claude-idle.txt"));
    view.emit("removed", "%1");
    expect(m.status("%1")).toBeUndefined();
  });

  // Recorded runs of Gemini CLI 0.61.0 (tests/fixtures/agents/gemini-0.61.0-replays), played back at
  // their own pace: a quick approval, then the tool and the model's answer. Each once read `idle`
  // mid-turn. With hooks: the hooks' status line torn by a redraw ("? for shortcutsoks: panecast
  // (1/2)…", no spinner) after the tool's AfterTool. Screen only: a frame captured while the CLI
  // redrew from the top, ending at the prompt echoed in the history (" > Make a file (quick)"), read as
  // text typed into the input box.
  it.each(["hooks", "screen"])("keeps a recorded Gemini CLI turn working from a quick approval to its end (%s)", (mode) => {
    expect(replay(`approve-quick.${mode}`)).toEqual(["working", "idle"]);
  });

  // With hooks, after Esc: "ℹ Request cancelled." and the status line torn below it, while Gemini CLI
  // runs its AfterAgent hooks. The torn frame once read `working` (from the output) for a moment.
  it("keeps a recorded Gemini CLI turn idle from Esc on, through its hooks' torn status line", () => {
    expect(replay("esc.hooks")).toEqual(["idle"]);
  });
});

/**
 * Plays a recorded run (tests/fixtures/agents/gemini-0.61.0-replays/NAME.jsonl) through a monitor at
 * its own pace: frames, hook payloads (mapped as the signal route maps them) and the keys sent. Returns
 * the states from the last keys sent on (the approval, or Esc), each change once.
 */
function replay(name: string): string[] {
  vi.useFakeTimers({ now: 0 });
  try {
    const steps = readFileSync(path.resolve(`tests/fixtures/agents/gemini-0.61.0-replays/${name}.jsonl`), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Step);
    const view = new FakeView();
    const m = new AgentMonitor(view, { tailLines: 8, activeMs: 3000, rules: {}, criticalPatterns: [], alertOn: [], minAlertIntervalMs: 60_000, hookQuietMs: 600_000 });
    monitors.push(m);
    const states: string[] = [];
    let keysAt = 0;
    m.on("status", (st) => states.push(st.state));
    view.addPane("%1", "gemini");
    let now = 0;
    for (const step of steps) {
      vi.advanceTimersByTime(step.ms - now);
      now = step.ms;
      if ("frame" in step) view.show("%1", step.frame);
      else if ("hook" in step) m.signal("%1", stateOfSignal({ agent: "gemini", event: step.hook.hook_event_name, notificationType: step.hook.notification_type })!, null, { agent: "gemini" });
      else keysAt = states.length;
    }
    vi.advanceTimersByTime(5000);
    // A source change repeats a state: each change once.
    return states.slice(keysAt).filter((st, i, all) => st !== all[i - 1]);
  } finally {
    vi.useRealTimers();
  }
}
