import { EventEmitter, once } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { PaneTracker, type TrackerFeed, type TrackerOptions } from "../../../lib/panes/tracker.ts";
import type { PaneUpdate } from "../../../lib/protocol.ts";
import type { ChangeFeedEvents } from "../../../lib/tmux/change-feed.ts";
import type { ExecResult } from "../../../lib/tmux/exec.ts";
import type { TmuxReads } from "../../../lib/tmux/runtime.ts";

// The tracker through fake ports: a tmux that answers the tracker's batched reads from panes held in
// memory (formats expanded the way tmux expands them), and a change feed the test emits on.

interface FakePane {
  id: string;
  session: string;
  screen: string[];
  history: string[];
}

class FakeTmux implements TmuxReads {
  readonly panes = new Map<string, FakePane>();
  readonly calls: string[][] = [];

  add(id: string, session: string, screen: string[], history: string[] = []): void {
    this.panes.set(id, { id, session, screen, history });
  }

  async raw(args: readonly string[]): Promise<ExecResult> {
    this.calls.push([...args]);
    let stdout = "";
    for (const cmd of split(args)) {
      const [name] = cmd;
      if (name === "list-panes") {
        const format = cmd[cmd.indexOf("-F") + 1]!;
        for (const p of this.panes.values()) stdout += `${expand(format, p)}\n`;
        continue;
      }
      const target = cmd[cmd.indexOf("-t") + 1]!;
      const pane = this.panes.get(target);
      // tmux stops a command chain at the first command that fails.
      if (!pane) return { stdout, stderr: `can't find pane: ${target}\n`, exitCode: 1 };
      if (name === "display") stdout += `${expand(cmd[cmd.length - 1]!, pane)}\n`;
      else if (name === "capturep") stdout += (cmd.includes("-E") ? pane.history : pane.screen).map((l) => `${l}\n`).join("");
      else throw new Error(`the fake tmux does not know ${name}`);
    }
    return { stdout, stderr: "", exitCode: 0 };
  }
}

function split(args: readonly string[]): string[][] {
  const out: string[][] = [[]];
  for (const a of args) {
    if (a === ";") out.push([]);
    else out[out.length - 1]!.push(a);
  }
  return out.filter((c) => c.length > 0);
}

function expand(format: string, p: FakePane): string {
  const vars: Record<string, string> = {
    session_id: `$${p.session}`,
    session_name: p.session,
    window_id: `@${p.session}`,
    window_index: "0",
    window_name: "w",
    pane_id: p.id,
    pane_index: p.id.slice(1),
    pane_title: "t",
    pane_current_command: "sh",
    pane_width: "80",
    pane_height: String(p.screen.length),
    pane_active: "1",
    pane_dead: "0",
    cursor_x: "0",
    cursor_y: "0",
    cursor_flag: "0",
  };
  // No pane_pid: the tracker then leaves /proc alone.
  return format.replace(/#\{@?([a-z_]+)\}/g, (_, name: string) => vars[name] ?? "");
}

class FakeFeed extends EventEmitter<ChangeFeedEvents> implements TrackerFeed {
  started = false;
  stopped = false;
  async start(): Promise<void> {
    this.started = true;
  }
  async stop(): Promise<void> {
    this.stopped = true;
  }
}

const opts = (mode: "push" | "poll"): TrackerOptions => ({
  mode,
  sessions: [],
  userOptions: ["agent_id"],
  colors: false,
  frameIntervalMs: 0,
  topologyRefreshMs: 60_000,
  // One poll at start; later polls are never due within a test.
  poll: { baseIntervalMs: 600_000, maxIntervalMs: 600_000, noChangeThreshold: 3 },
  maxPanes: 100,
});

function nextUpdate(tracker: PaneTracker, pane: string): Promise<PaneUpdate> {
  return new Promise((resolve) => {
    const on = (u: PaneUpdate) => {
      if (u.pane !== pane) return;
      tracker.off("update", on);
      resolve(u);
    };
    tracker.on("update", on);
  });
}

const trackers: PaneTracker[] = [];
afterEach(async () => {
  await Promise.all(trackers.splice(0).map((t) => t.stop()));
});

function track(tmux: FakeTmux, feed: FakeFeed | null, mode: "push" | "poll"): PaneTracker {
  const t = new PaneTracker(tmux, feed, opts(mode));
  trackers.push(t);
  return t;
}

describe("PaneTracker (push mode)", () => {
  it("publishes a full frame for each pane at start, then a delta with a higher seq when the screen changes", async () => {
    const tmux = new FakeTmux();
    tmux.add("%1", "work", ["hello", ""]);
    const feed = new FakeFeed();
    const tracker = track(tmux, feed, "push");
    const first = nextUpdate(tracker, "%1");
    await tracker.start();
    expect(feed.started).toBe(true);
    const u1 = await first;
    expect(u1.base).toBe(0);
    expect(tracker.frame("%1")?.lines).toEqual(["hello", ""]);
    expect(tracker.pane("%1")?.sessionName).toBe("work");

    tmux.panes.get("%1")!.screen = ["hello", "world"];
    const second = nextUpdate(tracker, "%1");
    feed.emit("output", "%1", false);
    const u2 = await second;
    expect(u2.seq).toBeGreaterThan(u1.seq);
    expect(u2.base).toBe(u1.seq);
    expect(tracker.frame("%1")?.lines).toEqual(["hello", "world"]);

    tmux.panes.get("%1")!.screen = ["again", "world"];
    const third = nextUpdate(tracker, "%1");
    feed.emit("output", "%1", false);
    const u3 = await third;
    expect(u3.seq).toBeGreaterThan(u2.seq);
    expect(u3.base).toBe(u2.seq);
    // Every capture was one batched tmux call with arguments as an array (never a shell line).
    for (const call of tmux.calls) expect(call.every((a) => typeof a === "string")).toBe(true);
  });

  it("drops a pane the topology no longer has: removed, no info, no frame", async () => {
    const tmux = new FakeTmux();
    tmux.add("%1", "work", ["one"]);
    tmux.add("%2", "work", ["two"]);
    const feed = new FakeFeed();
    const tracker = track(tmux, feed, "push");
    const both = Promise.all([nextUpdate(tracker, "%1"), nextUpdate(tracker, "%2")]);
    await tracker.start();
    await both;
    expect(tracker.frame("%2")?.lines).toEqual(["two"]);

    tmux.panes.delete("%2");
    const removed = once(tracker, "removed");
    const topology = once(tracker, "topology");
    feed.emit("structure");
    expect(await removed).toEqual(["%2"]);
    const [topo] = await topology;
    expect(topo.sessions[0].windows[0].panes.map((p: { id: string }) => p.id)).toEqual(["%1"]);
    expect(tracker.pane("%2")).toBeUndefined();
    expect(tracker.frame("%2")).toBeUndefined();
    expect(tracker.fullUpdate("%2")).toBeNull();
    expect(tracker.pane("%1")).toBeDefined();
  });

  it("clears every pane when the feed reports the server down", async () => {
    const tmux = new FakeTmux();
    tmux.add("%1", "work", ["one"]);
    const feed = new FakeFeed();
    const tracker = track(tmux, feed, "push");
    const first = nextUpdate(tracker, "%1");
    await tracker.start();
    await first;
    feed.emit("state", "up");
    expect(tracker.state).toBe("up");
    const removed = once(tracker, "removed");
    const state = once(tracker, "state");
    feed.emit("state", "down");
    expect(await state).toEqual(["down"]);
    expect(await removed).toEqual(["%1"]);
    expect(tracker.topology).toEqual({ sessions: [] });
    expect(tracker.state).toBe("down");
  });

  it("reads history through the runtime as an argument array, and refuses a pane tmux does not have", async () => {
    const tmux = new FakeTmux();
    tmux.add("%1", "work", ["screen"], ["older", "old"]);
    const tracker = track(tmux, new FakeFeed(), "push");
    expect(await tracker.history("%1", 50)).toEqual(["older", "old"]);
    const call = tmux.calls[tmux.calls.length - 1]!;
    expect(call).toContain("capturep");
    expect(call.slice(call.indexOf("capturep"))).toEqual(["capturep", "-p", "-t", "%1", "-S", "-50", "-E", "-1"]);
    await expect(tracker.history("%9", 50)).rejects.toMatchObject({ code: "PANE_NOT_FOUND" });
  });

  it("stops the feed when stopped", async () => {
    const feed = new FakeFeed();
    const tracker = track(new FakeTmux(), feed, "push");
    await tracker.start();
    await tracker.stop();
    expect(feed.stopped).toBe(true);
  });
});

describe("PaneTracker (poll mode)", () => {
  it("reads topology and screens in its first poll, with no change feed", async () => {
    const tmux = new FakeTmux();
    tmux.add("%1", "work", ["polled"]);
    tmux.add("%2", "play", ["other"]);
    const tracker = track(tmux, null, "poll");
    const updates: PaneUpdate[] = [];
    tracker.on("update", (u) => updates.push(u));
    const state = once(tracker, "state");
    await tracker.start();
    expect(await state).toEqual(["up"]);
    expect(updates.map((u) => u.pane).sort()).toEqual(["%1", "%2"]);
    expect(new Set(updates.map((u) => u.seq)).size).toBe(2);
    expect(tracker.frame("%1")?.lines).toEqual(["polled"]);
    expect(tracker.topology.sessions.map((s) => s.name)).toEqual(["play", "work"]);
  });

  it("keeps only the panes of the sessions it is told to watch", async () => {
    const tmux = new FakeTmux();
    tmux.add("%1", "work", ["mine"]);
    tmux.add("%2", "play", ["not mine"]);
    const tracker = new PaneTracker(tmux, null, { ...opts("poll"), sessions: ["work"] });
    trackers.push(tracker);
    await tracker.start();
    expect(tracker.pane("%1")).toBeDefined();
    expect(tracker.pane("%2")).toBeUndefined();
    expect(tracker.frame("%2")).toBeUndefined();
  });
});
