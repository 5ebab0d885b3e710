import type { AgentStatus, FleetEvent, PaneAlert, SessionsPayload } from "../protocol.ts";
import { AgentStatusDataSchema as StatusData, PaneAlertSchema } from "../protocol/payloads.ts";
import { clusterPane } from "./wire-check.ts";
import type { ClusterPaneSource } from "./source.ts";

/**
 * Other nodes' agent status, learnt from their `agent.status` events on the shared stream (each
 * node reads its own screens; nobody reads another's twice). Bounded: a pane's entry goes with the
 * pane, and at most `max` are kept (the oldest goes first). Merged into the `sessions` push
 * (lib/cluster/topics) so a client on any node sees every agent's state.
 */
export class RemoteStatuses {
  private readonly byPane = new Map<string, AgentStatus>();

  constructor(
    private readonly self: string,
    private readonly source: ClusterPaneSource,
    private readonly max: number,
  ) {
    source.on("removed", (pane) => this.byPane.delete(pane));
  }

  /** Takes an event; returns the status it carries for another node's pane, else null. */
  take(e: FleetEvent): AgentStatus | null {
    // A non-agent pane's running/quiet travels as `pane.activity`, off the default event stream.
    if ((e.type !== "agent.status" && e.type !== "pane.activity") || !e.pane) return null;
    const at = clusterPane(e.pane);
    // The pane may not be known here yet: its node's topology travels on another stream.
    if (!at || at.node === this.self) return null;
    const d = StatusData.safeParse(e.data);
    if (!d.success) return null;
    const s: AgentStatus = { pane: e.pane, state: d.data.state, previous: d.data.previous, source: d.data.source, agentType: d.data.agentType, since: e.timestamp, line: d.data.line };
    if (d.data.reason) s.reason = d.data.reason;
    if (d.data.resetAt) s.resetAt = d.data.resetAt;
    this.byPane.delete(e.pane);
    this.byPane.set(e.pane, s);
    if (this.byPane.size > this.max) this.byPane.delete(this.byPane.keys().next().value!);
    return s;
  }

  /**
   * An alert from the shared stream for this node's page: another node's pane alert (its webhooks
   * were sent there), or a node-offline alert (the node that claimed it notified); else null.
   */
  alertOf(e: FleetEvent): PaneAlert | null {
    if (e.type !== "pane.alert") return null;
    const a = PaneAlertSchema.safeParse(e.data);
    if (!a.success) return null;
    if (a.data.kind === "node-offline") return a.data;
    const at = clusterPane(e.pane);
    if (!at || at.node === this.self) return null;
    return a.data.pane === e.pane ? a.data : null;
  }

  /** Another node's pane status as last learnt (null: none yet). */
  get(pane: string): AgentStatus | null {
    return this.byPane.get(pane) ?? null;
  }
}
