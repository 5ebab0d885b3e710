import { z } from "zod";
import { AGENT_STATE_SOURCES, AGENT_STATES, AGENT_TYPES, type AgentStatus, type FleetEvent, type PaneAlert, type SessionsPayload } from "../protocol.ts";
import { PaneAlertSchema } from "../realtime/payloads.ts";
import type { TopicSource } from "../hub/ports.ts";
import { splitId } from "./ids.ts";
import type { ClusterPaneSource } from "./source.ts";

const StatusData = z.object({
  state: z.enum(AGENT_STATES),
  previous: z.enum(AGENT_STATES).nullable(),
  source: z.enum(AGENT_STATE_SOURCES),
  agentType: z.enum(AGENT_TYPES),
  line: z.string().max(4096).nullable(),
});

/**
 * Other nodes' agent status, learnt from their `agent.status` events on the shared stream (each
 * node reads its own screens; nobody reads another's twice). Bounded: a pane's entry goes with the
 * pane, and at most `max` are kept (the oldest goes first). Merged into the `sessions` push so a
 * client on any node sees every agent's state.
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
    if (e.type !== "agent.status" || !e.pane) return null;
    const at = splitId(e.pane);
    // The pane may not be known here yet: its node's topology travels on another stream.
    if (!at || at.node === this.self) return null;
    const d = StatusData.safeParse(e.data);
    if (!d.success) return null;
    const s: AgentStatus = { pane: e.pane, state: d.data.state, previous: d.data.previous, source: d.data.source, agentType: d.data.agentType, since: e.timestamp, line: d.data.line };
    this.byPane.delete(e.pane);
    this.byPane.set(e.pane, s);
    if (this.byPane.size > this.max) this.byPane.delete(this.byPane.keys().next().value!);
    return s;
  }

  /** Another node's alert, from its `pane.alert` event (its webhooks were sent there); else null. */
  alertOf(e: FleetEvent): PaneAlert | null {
    if (e.type !== "pane.alert" || !e.pane) return null;
    const at = splitId(e.pane);
    if (!at || at.node === this.self) return null;
    const a = PaneAlertSchema.safeParse(e.data);
    return a.success && a.data.pane === e.pane ? a.data : null;
  }

  /** The sessions push with other nodes' statuses added, limited like the rest of it. */
  topics(local: TopicSource): TopicSource {
    return {
      resources: () => local.resources(),
      // This node's queue only: a cluster-wide queue is still to come.
      needsYou: (visible) => local.needsYou(visible),
      sessions: (visible): SessionsPayload => {
        const p = local.sessions(visible);
        const status = { ...p.status };
        const sessionOf = new Map(this.source.topology.sessions.flatMap((s) => s.windows.flatMap((w) => w.panes.map((pane) => [pane.id, s.name] as const))));
        for (const [pane, s] of this.byPane) {
          const session = sessionOf.get(pane);
          if (session !== undefined && (!visible || visible(session))) status[pane] = s;
        }
        return { ...p, status };
      },
    };
  }
}
