import { EventEmitter } from "node:events";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { PaneView } from "../../../lib/agents/pane-view.ts";
import { NeedsYouQueue } from "../../../lib/needs-you/queue.ts";
import { NeedsYouStore } from "../../../lib/needs-you/store.ts";
import type { Frame, TrackerEvents } from "../../../lib/panes/tracker.ts";
import type { AgentState, AgentStatus, PaneInfo, Topology } from "../../../lib/protocol.ts";

/** The tracker's side: panes, their screens, and its events. */
class FakeView extends EventEmitter<TrackerEvents> implements PaneView {
  topology: Topology = { sessions: [] };
  private readonly frames = new Map<string, Frame>();
  private seq = 0;

  add(id: string, session: string): void {
    const info: PaneInfo = { id, index: 0, sessionId: "$1", sessionName: session, windowId: "@1", windowIndex: 2, title: "", command: "sh", agentType: "shell", agentId: `agent-${id}`, width: 80, height: 5, active: true, dead: false, pid: null, cwd: "/", options: {} };
    const s = this.topology.sessions.find((x) => x.name === session);
    if (s) s.windows[0]!.panes.push(info);
    else this.topology.sessions.push({ id: `$${session}`, name: session, attached: 0, windows: [{ id: "@1", index: 2, name: "w", active: true, panes: [info] }] });
  }
  pane(id: string): PaneInfo | undefined {
    return this.topology.sessions.flatMap((s) => s.windows.flatMap((w) => w.panes)).find((p) => p.id === id);
  }
  frame(id: string): Frame | undefined {
    return this.frames.get(id);
  }
  show(id: string, lines: string[]): void {
    this.frames.set(id, { lines, text: lines.join("\n"), seq: ++this.seq, hash: 0, width: 80, height: 5 });
    this.emit("update", { pane: id, seq: this.seq, base: 0, delta: { kind: "full", lines }, hash: 0, width: 80, height: 5 });
  }
}

class FakeMonitor extends EventEmitter<{ status: [AgentStatus] }> {
  set(pane: string, state: AgentState, line: string | null = null, since = new Date().toISOString()): void {
    this.emit("status", { pane, source: "screen", state, previous: null, agentType: "shell", since, line });
  }
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(file: string | null = null) {
  const view = new FakeView();
  view.add("%1", "alpha");
  view.add("%2", "alpha");
  view.add("%3", "beta");
  const monitor = new FakeMonitor();
  const queue = new NeedsYouQueue(view, monitor, file ? new NeedsYouStore(file) : null, { maxResolved: 3 });
  let changes = 0;
  queue.on("changed", () => changes++);
  return { view, monitor, queue, changes: () => changes };
}

const tmpFile = () => {
  const d = mkdtempSync(path.join(tmpdir(), "needs-you-"));
  dirs.push(d);
  return path.join(d, "needs-you.json");
};

describe("NeedsYouQueue", () => {
  it("opens an item per waiting or failed pane, oldest first, with its choices, and resolves it when the state leaves", () => {
    const { view, monitor, queue } = setup();
    view.show("%2", ["$ ./deploy", "Deploy now? [y/n] "]);
    monitor.set("%2", "waiting-for-input", "Deploy now? [y/n]", "2026-12-02T01:00:00.000Z");
    monitor.set("%1", "error", "error: boom", "2026-12-02T00:00:00.000Z");
    monitor.set("%3", "working");
    const open = queue.payload().open;
    expect(open.map((i) => [i.pane, i.state, i.session, i.window, i.agentId])).toEqual([
      ["%1", "error", "alpha", 2, "agent-%1"],
      ["%2", "waiting-for-input", "alpha", 2, "agent-%2"],
    ]);
    expect(open[1]!.choices.map((c) => c.label)).toEqual(["Yes", "No"]);
    expect(open[1]!.promptHash).toMatch(/^[0-9a-f]{8}$/);
    expect(open[0]!.choices).toEqual([]);
    monitor.set("%2", "working");
    const after = queue.payload();
    expect(after.open.map((i) => i.pane)).toEqual(["%1"]);
    expect(after.resolved.map((i) => i.pane)).toEqual(["%2"]);
    expect(after.resolved[0]!.resolvedAt).toBeDefined();
  });

  it("re-reads the choices as the waiting screen changes, and opens a new item when waiting turns into an error", () => {
    const { view, monitor, queue, changes } = setup();
    view.show("%1", ["Continue? [y/n] "]);
    monitor.set("%1", "waiting-for-input");
    const first = queue.item("%1")!;
    const before = changes();
    view.show("%1", ["Pick one?", "❯ 1. red", "  2. blue"]);
    expect(changes()).toBe(before + 1);
    expect(queue.item("%1")!.choices.map((c) => c.label)).toEqual(["red", "blue"]);
    expect(queue.item("%1")!.id).toBe(first.id);
    view.show("%1", ["Pick one?", "❯ 1. red", "  2. blue"]);
    expect(changes()).toBe(before + 1);
    monitor.set("%1", "error", "error: gone");
    expect(queue.item("%1")!.id).not.toBe(first.id);
    expect(queue.payload().resolved.map((i) => i.id)).toEqual([first.id]);
  });

  it("keeps at most maxResolved resolved items, newest first, and resolves the item of a pane that goes", () => {
    const { view, monitor, queue } = setup();
    for (let i = 0; i < 5; i++) {
      monitor.set("%1", "error", `error ${i}`);
      monitor.set("%1", "idle");
    }
    expect(queue.payload().resolved.map((i) => i.line)).toEqual(["error 4", "error 3", "error 2"]);
    monitor.set("%3", "error", "error x");
    view.emit("removed", "%3");
    expect(queue.item("%3")).toBeUndefined();
    expect(queue.payload().resolved[0]!.line).toBe("error x");
  });

  it("limits the payload to the sessions a view sees", () => {
    const { monitor, queue } = setup();
    monitor.set("%1", "error");
    monitor.set("%3", "error");
    expect(queue.payload((s) => s === "beta").open.map((i) => i.pane)).toEqual(["%3"]);
  });

  it("records an answer on the item, open or resolved", () => {
    const { monitor, queue } = setup();
    monitor.set("%1", "error");
    const id = queue.item("%1")!.id;
    queue.noteAnswer(id, { outcome: "not-answered", label: "Yes", by: "op", at: "t" });
    expect(queue.item("%1")!.answer!.outcome).toBe("not-answered");
    monitor.set("%1", "idle");
    queue.noteAnswer(id, { outcome: "answered", label: "Yes", by: "op", at: "t2" });
    expect(queue.payload().resolved[0]!.answer!.outcome).toBe("answered");
  });

  it("survives a restart in a 0600 file: an item still waiting is the same item, one no longer waiting or gone resolves", async () => {
    const file = tmpFile();
    const a = setup(file);
    a.view.show("%1", ["Deploy? [y/n] "]);
    a.monitor.set("%1", "waiting-for-input", "Deploy? [y/n]", "2026-12-02T00:00:00.000Z");
    a.monitor.set("%2", "error", "error: x");
    a.monitor.set("%3", "error", "error: y");
    const kept = a.queue.item("%1")!;
    await new Promise((r) => setImmediate(r));
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const b = setup(file);
    expect(b.queue.payload().open.map((i) => i.pane)).toEqual(["%1", "%2", "%3"]);
    b.view.topology = { sessions: b.view.topology.sessions.filter((s) => s.name !== "beta") };
    b.view.emit("topology", b.view.topology);
    b.view.show("%1", ["Deploy? [y/n] "]);
    b.monitor.set("%1", "waiting-for-input", "Deploy? [y/n]", "2026-12-02T02:00:00.000Z");
    b.monitor.set("%2", "idle");
    const open = b.queue.payload().open;
    expect(open.map((i) => [i.id, i.since])).toEqual([[kept.id, kept.since]]);
    expect(open[0]!.promptHash).toBe(kept.promptHash);
    expect(b.queue.payload().resolved.map((i) => i.pane).sort()).toEqual(["%2", "%3"]);
  });

  it("reads a malformed or foreign state file as an empty queue", () => {
    const file = tmpFile();
    writeFileSync(file, JSON.stringify({ version: 1, open: [{ id: "x".repeat(500) }], resolved: [] }));
    expect(setup(file).queue.payload()).toEqual({ open: [], resolved: [] });
    writeFileSync(file, "{not json");
    expect(setup(file).queue.payload()).toEqual({ open: [], resolved: [] });
    expect(readFileSync(file, "utf8")).toBe("{not json");
  });
});
