import { EventEmitter } from "node:events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Notifier, type AlertSource } from "../../../lib/notify/notifier.ts";
import { inQuietHours } from "../../../lib/notify/quiet-hours.ts";
import { mutedForEveryone } from "../../../lib/notify/muted.ts";
import type { AgentStatus, PaneAlert, PaneInfo } from "../../../lib/protocol.ts";

/** The monitor's port: alerts out, a pane's state now. */
class FakeMonitor extends EventEmitter<{ alert: [PaneAlert] }> implements AlertSource {
  states = new Map<string, AgentStatus>();
  status(pane: string) {
    return this.states.get(pane);
  }
  enter(pane: string, state: AgentStatus["state"], at: Date): PaneAlert {
    this.states.set(pane, { pane, source: "hook", state, previous: "working", agentType: "claude", since: at.toISOString(), line: null });
    const alert: PaneAlert = { id: `${pane}-${at.getTime()}`, kind: state as PaneAlert["kind"], pane, session: "s", window: 0, agentId: null, message: "m", line: null, at: at.toISOString() };
    this.emit("alert", alert);
    return alert;
  }
}

describe("Notifier", () => {
  let monitor: FakeMonitor;
  let sent: PaneAlert[];
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-11-30T12:00:00Z"));
    monitor = new FakeMonitor();
    sent = [];
  });
  afterEach(() => vi.useRealTimers());

  it("does not send a waiting-for-input that resolves within the grace", () => {
    const n = new Notifier(monitor, [{ send: (a) => sent.push(a) }], { graceMs: 3000, quietHours: null });
    monitor.enter("%1", "waiting-for-input", new Date());
    vi.advanceTimersByTime(1000);
    monitor.states.set("%1", { ...monitor.states.get("%1")!, state: "working", since: new Date().toISOString() });
    vi.advanceTimersByTime(5000);
    expect(sent).toEqual([]);
    expect(n.stats.resolvedInGrace).toBe(1);
  });

  it("holds a node-offline alert for the grace and sends it only if the node is still offline then", () => {
    const lifecycle = new EventEmitter<{ alert: [PaneAlert, () => boolean] }>();
    const n = new Notifier(monitor, [{ send: (a) => sent.push(a) }], { graceMs: 3000, quietHours: null, held: lifecycle });
    const alert = (node: string): PaneAlert => ({ id: `node-offline:${node}`, kind: "node-offline", pane: `${node}/%1`, session: "s", window: 0, agentId: null, message: `node ${node} is offline`, line: null, at: new Date().toISOString() });
    let gammaDown = true;
    lifecycle.emit("alert", alert("beta"), () => true);
    lifecycle.emit("alert", alert("gamma"), () => gammaDown);
    vi.advanceTimersByTime(2999);
    expect(sent).toEqual([]);
    gammaDown = false;
    vi.advanceTimersByTime(1);
    expect(sent.map((a) => a.id)).toEqual(["node-offline:beta"]);
    expect(n.stats.resolvedInGrace).toBe(1);
  });

  it("sends a wait that outlasts the grace, once, and errors at once", () => {
    new Notifier(monitor, [{ send: (a) => sent.push(a) }], { graceMs: 3000, quietHours: null });
    const wait = monitor.enter("%1", "waiting-for-input", new Date());
    vi.advanceTimersByTime(2999);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([wait]);
    const err = monitor.enter("%2", "error", new Date());
    expect(sent).toEqual([wait, err]);
  });

  it("does not send a wait that resolved and came back within the grace (the new wait has its own alert)", () => {
    new Notifier(monitor, [{ send: (a) => sent.push(a) }], { graceMs: 3000, quietHours: null });
    monitor.enter("%1", "waiting-for-input", new Date());
    vi.advanceTimersByTime(1000);
    monitor.states.set("%1", { ...monitor.states.get("%1")!, since: new Date().toISOString() });
    vi.advanceTimersByTime(2000);
    expect(sent).toEqual([]);
  });

  it("sends nothing in the quiet hours", () => {
    const n = new Notifier(monitor, [{ send: (a) => sent.push(a) }], { graceMs: 0, quietHours: { start: "11:00", end: "13:00", timezone: "UTC" } });
    monitor.enter("%1", "error", new Date());
    expect(sent).toEqual([]);
    expect(n.stats.quiet).toBe(1);
    vi.setSystemTime(new Date("2026-11-30T13:00:00Z"));
    monitor.enter("%1", "error", new Date());
    expect(sent).toHaveLength(1);
  });
});

describe("Notifier with notify.mute", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("sends nothing for a pane the settings mute, by session glob or by agent type, and the rest as before", () => {
    const monitor = new FakeMonitor();
    const sent: PaneAlert[] = [];
    const pane = (id: string, sessionName: string, agentType: PaneInfo["agentType"]): PaneInfo => ({
      id, index: 0, sessionId: `$${sessionName}`, sessionName, windowId: `@${id}`, windowIndex: 0, title: "", command: "node", agentType, agentId: null,
      width: 80, height: 24, active: true, dead: false, pid: null, cwd: "/", options: {},
    });
    const sessions = [pane("%1", "build-web", "claude"), pane("%2", "work", "aider"), pane("%3", "work", "claude")].map((p) => ({
      id: p.sessionId, name: p.sessionName, attached: 0, windows: [{ id: p.windowId, index: 0, name: "main", active: true, panes: [p] }],
    }));
    const muted = mutedForEveryone({ patterns: ["build-*"], types: ["aider"] }, { topology: { sessions } }, monitor);
    const n = new Notifier(monitor, [{ send: (a) => sent.push(a) }], { graceMs: 0, quietHours: null, ...(muted ? { muted } : {}) });
    monitor.enter("%1", "error", new Date());
    // The monitor's type is the one matched: %2 is aider in the topology, claude by its status.
    monitor.enter("%2", "error", new Date());
    const heard = monitor.enter("%3", "error", new Date());
    expect(sent.map((a) => a.pane)).toEqual(["%2", "%3"]);
    expect(sent[1]).toEqual(heard);
    expect(n.stats.muted).toBe(1);
    monitor.states.set("%3", { ...monitor.states.get("%3")!, agentType: "aider" });
    monitor.emit("alert", { ...heard, id: "again" });
    expect(sent).toHaveLength(2);
    expect(n.stats.muted).toBe(2);
    expect(mutedForEveryone({ patterns: [], types: [] }, { topology: { sessions } }, monitor)).toBeUndefined();
  });
});

describe("inQuietHours", () => {
  const at = (iso: string) => new Date(iso);
  it("wraps across midnight and reads the time zone", () => {
    const q = { start: "22:00", end: "07:00", timezone: "Europe/Berlin" };
    expect(inQuietHours(q, at("2026-11-30T21:30:00Z"))).toBe(true); // 22:30 in Berlin
    expect(inQuietHours(q, at("2026-11-30T05:59:00Z"))).toBe(true); // 06:59
    expect(inQuietHours(q, at("2026-11-30T06:00:00Z"))).toBe(false); // 07:00
    expect(inQuietHours(q, at("2026-11-30T20:59:00Z"))).toBe(false); // 21:59
    expect(inQuietHours({ start: "09:00", end: "17:00", timezone: "UTC" }, at("2026-11-30T12:00:00Z"))).toBe(true);
    expect(inQuietHours(null, at("2026-11-30T12:00:00Z"))).toBe(false);
  });
});
