import type { Hub } from "./hub.ts";

/**
 * This node's clients, for the parts built before the hub that ask about them: the samplers (they
 * run while anyone watches, for the panes someone sees) and a cluster node's heartbeat. The agents
 * feed the hub and the hub's clients steer the agents, so one side of that loop is joined after both
 * exist: lib/app.ts hands the hub in once (`through`). Until then nobody watches.
 */
export class Watching {
  private hub: Pick<Hub, "clientCount" | "seenByAny"> | null = null;

  through(hub: Pick<Hub, "clientCount" | "seenByAny">): void {
    this.hub = hub;
  }

  clients(): number {
    return this.hub?.clientCount ?? 0;
  }

  /** Of `panes`, those at least one client of this node may see and is subscribed to. */
  seen(panes: Iterable<string>): Set<string> {
    const out = new Set<string>();
    if (this.hub) for (const p of panes) if (this.hub.seenByAny(p)) out.add(p);
    return out;
  }
}
