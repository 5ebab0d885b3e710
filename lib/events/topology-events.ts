import type { Topology } from "../protocol.ts";
import type { EventInput } from "./event-log.ts";

/** The events between two topologies: sessions created, removed, renamed; windows and panes added and gone. */
export function topologyEvents(prev: Topology, next: Topology): EventInput[] {
  const out: EventInput[] = [];
  const ev = (e: Omit<EventInput, "windowId" | "window" | "pane"> & Partial<EventInput>): EventInput => ({ window: null, windowId: null, pane: null, ...e });
  const prevS = new Map(prev.sessions.map((s) => [s.id, s]));
  const nextS = new Map(next.sessions.map((s) => [s.id, s]));
  for (const [id, s] of nextS) {
    const old = prevS.get(id);
    if (!old) out.push(ev({ type: "session.created", session: s.name, data: { id, windows: s.windows.length } }));
    else if (old.name !== s.name) out.push(ev({ type: "session.renamed", session: s.name, data: { id, from: old.name, to: s.name } }));
  }
  for (const [id, s] of prevS) if (!nextS.has(id)) out.push(ev({ type: "session.removed", session: s.name, data: { id } }));

  const windows = (t: Topology) => new Map(t.sessions.flatMap((s) => s.windows.map((w) => [`${s.id}/${w.id}`, { s, w }] as const)));
  const prevW = windows(prev);
  const nextW = windows(next);
  for (const [k, { s, w }] of nextW) {
    if (!prevW.has(k)) out.push(ev({ type: "window.added", session: s.name, window: w.index, windowId: w.id, data: { name: w.name } }));
  }
  for (const [k, { s, w }] of prevW) {
    if (!nextW.has(k)) out.push(ev({ type: "window.closed", session: s.name, window: w.index, windowId: w.id, data: { name: w.name } }));
  }

  const panes = (t: Topology) => new Map(t.sessions.flatMap((s) => s.windows.flatMap((w) => w.panes.map((p) => [p.id, p] as const))));
  const prevP = panes(prev);
  const nextP = panes(next);
  for (const [id, p] of nextP) {
    if (!prevP.has(id)) {
      out.push(ev({ type: "pane.added", session: p.sessionName, window: p.windowIndex, windowId: p.windowId, pane: id, data: { agentId: p.agentId, agentType: p.agentType, command: p.command } }));
    }
  }
  for (const [id, p] of prevP) {
    if (!nextP.has(id)) out.push(ev({ type: "pane.removed", session: p.sessionName, window: p.windowIndex, windowId: p.windowId, pane: id, data: { agentId: p.agentId } }));
  }
  return out;
}
