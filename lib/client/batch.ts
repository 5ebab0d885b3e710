import type { AgentStatus, Batch, DocPayload, FleetEvent, NeedsYouPayload, PaneAlert, PaneUpdate, ResourcesPayload, SessionsPayload, TmuxState, Topology } from "../protocol.ts";

/** The items a batch carries, by the names protocol 1 pushed them under, with those payloads. */
export interface BatchItems {
  "tmux:state": { state: TmuxState };
  "topology:updated": { topology: Topology };
  "pane:removed": { pane: string };
  "pane:updated": PaneUpdate;
  sessions: SessionsPayload;
  "agent:status": AgentStatus;
  "pane:alert": PaneAlert;
  "resources:updated": ResourcesPayload;
  event: FleetEvent;
  "events:missed": { since: string | null };
  "doc:updated": DocPayload;
  "needs-you": NeedsYouPayload;
}

export type BatchItem = { [K in keyof BatchItems]: [K, BatchItems[K]] }[keyof BatchItems];

/** A batch as a list of items, in the order a client applies them (docs/protocol.md, `batch`). */
export function unpackBatch(b: Batch): BatchItem[] {
  const out: BatchItem[] = [];
  if (b.tmux) out.push(["tmux:state", { state: b.tmux }]);
  if (b.topology) out.push(["topology:updated", { topology: b.topology }]);
  for (const pane of b.removed ?? []) out.push(["pane:removed", { pane }]);
  for (const u of b.updates ?? []) out.push(["pane:updated", u]);
  if (b.sessions) out.push(["sessions", b.sessions]);
  for (const s of b.status ?? []) out.push(["agent:status", s]);
  for (const a of b.alerts ?? []) out.push(["pane:alert", a]);
  if (b.resources) out.push(["resources:updated", b.resources]);
  for (const e of b.events ?? []) out.push(["event", e]);
  if (b.eventsMissed) out.push(["events:missed", b.eventsMissed]);
  for (const d of b.docs ?? []) out.push(["doc:updated", d]);
  if (b.needsYou) out.push(["needs-you", b.needsYou]);
  return out;
}
