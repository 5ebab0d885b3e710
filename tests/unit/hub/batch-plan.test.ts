import { describe, expect, it } from "vitest";
import { planBatch, type PlanContext } from "../../../lib/hub/batch-plan.ts";
import { newClientState, type ClientState } from "../../../lib/hub/client-state.ts";
import { Tick } from "../../../lib/hub/tick.ts";
import type { AgentStatus, PaneUpdate, SessionsPayload } from "../../../lib/protocol.ts";

const port = (id: string) => ({ id, buffered: () => 0, onDrain: () => {} });
/** Sessions `agents` (%1) and `ops` (%2). */
const SESSION_OF: Record<string, string> = { "%1": "agents", "%2": "ops" };
const limited = (key: string, sessions: string[]) => ({ key, sees: (s: string) => sessions.includes(s) });
const update = (pane: string, seq: number): PaneUpdate => ({ pane, seq, base: 0, delta: { kind: "full", lines: [`${pane} at ${seq}`] }, hash: seq, width: 80, height: 1 });
const status = (pane: string): AgentStatus => ({ pane, source: "screen", state: "working", previous: "idle", agentType: "claude", since: "t", line: null });

/** A plan context over fixed state, counting what the planner computes. */
function context() {
  const calls = { sessions: 0, catchUps: 0 };
  const ctx: PlanContext = {
    tmuxState: () => "up",
    wants: (c, pane) => c.view === null || c.view.sees(SESSION_OF[pane] ?? ""),
    updateFor: (_tick, pane) => update(pane, 7),
    topologyOf: () => ({ sessions: [] }),
    sessions: (): SessionsPayload => {
      calls.sessions++;
      return { type: "sessions", sessions: [], status: {}, git: {} };
    },
    resources: () => null,
    needsYou: () => ({ open: [], resolved: [] }),
    seesSession: (c, s) => c.view === null || (s !== null && c.view.sees(s)),
    sessionOf: (pane) => SESSION_OF[pane] ?? null,
    doc: () => undefined,
    onCatchUp: () => calls.catchUps++,
    farDue: () => true,
  };
  return { ctx, calls };
}

function subscribed(id: string, view: ReturnType<typeof limited> | null = null): ClientState {
  const c = newClientState(port(id), view);
  c.subscribed = true;
  return c;
}

describe("planBatch", () => {
  it("gives clients with the same view and held seqs the same signature, computing each part once per tick", () => {
    const { ctx, calls } = context();
    const tick = new Tick();
    tick.addUpdate(update("%1", 7));
    const [a, b] = [subscribed("a"), subscribed("b")];
    const pa = planBatch(a, tick, ctx)!;
    const pb = planBatch(b, tick, ctx)!;
    expect(pa.signature).toBe(pb.signature);
    expect(pa.batch.sessions).toBe(pb.batch.sessions);
    expect(calls.sessions).toBe(1);
    expect(pa.batch.updates?.map((u) => u.pane)).toEqual(["%1"]);
    // What was planned is marked sent: the same tick plans nothing more for it.
    expect(a.sent.get("%1")).toBe(7);
    expect(planBatch(a, new Tick(), ctx)).toBeNull();
  });

  it("keeps a limited client's batch to its sessions and never shares it with a client that sees more", () => {
    const { ctx } = context();
    const tick = new Tick();
    tick.addUpdate(update("%1", 7));
    tick.addUpdate(update("%2", 7));
    tick.addStatus(status("%1"));
    tick.addStatus(status("%2"));
    const all = planBatch(subscribed("all"), tick, ctx)!;
    const ops = planBatch(subscribed("ops", limited("ops", ["ops"])), tick, ctx)!;
    expect(all.batch.updates?.map((u) => u.pane)).toEqual(["%1", "%2"]);
    expect(all.batch.status?.map((s) => s.pane)).toEqual(["%1", "%2"]);
    expect(ops.batch.updates?.map((u) => u.pane)).toEqual(["%2"]);
    expect(ops.batch.status?.map((s) => s.pane)).toEqual(["%2"]);
    expect(ops.signature).not.toBe(all.signature);
  });

  it("sends a client that was behind the current state of what it missed, once, and counts the catch-up", () => {
    const { ctx, calls } = context();
    const c = subscribed("slow");
    c.sessions = c.resources = c.needsYou = false;
    c.stale.add("%2");
    const p = planBatch(c, new Tick(), ctx)!;
    expect(p.batch.updates?.map((u) => [u.pane, u.seq])).toEqual([["%2", 7]]);
    expect(calls.catchUps).toBe(1);
    expect(c.stale.size).toBe(0);
  });

  it("tells an event subscriber it missed events rather than sending a tick's events after a gap", () => {
    const { ctx } = context();
    const c = subscribed("ev");
    c.sessions = c.resources = c.needsYou = false;
    c.events = {};
    c.eventsMissed = true;
    c.lastEvent = "e:4";
    const tick = new Tick();
    tick.addEvent({ id: "e:5", type: "pane.added", timestamp: "t", schema: 1, session: "agents", window: 0, windowId: "@1", pane: "%1", data: {} });
    const p = planBatch(c, tick, ctx)!;
    expect(p.batch.eventsMissed).toEqual({ since: "e:4" });
    expect(p.batch.events).toBeUndefined();
  });
});
