import { EventEmitter } from "node:events";
import type { PaneView } from "../agents/pane-view.ts";
import type { Frame, PaneTracker, TrackerEvents } from "./tracker.ts";
import type { PaneInfo, Topology } from "../protocol.ts";
import { allPanes } from "../topology.ts";
import { qualify, qualifyTopology, splitId } from "../cluster/ids.ts";

/**
 * This node's tracker with cluster ids (`alpha/%3`): what the agent layer watches in a cluster, so
 * status, alerts, resources, git and events name panes the way the rest of the protocol does.
 */
export class LocalView extends EventEmitter<TrackerEvents> implements PaneView {
  private _topology: Topology = { sessions: [] };
  private panes = new Map<string, PaneInfo>();

  constructor(
    private readonly tracker: PaneTracker,
    private readonly node: string,
  ) {
    super();
    this.index(tracker.topology);
    tracker.on("update", (u) => this.emit("update", { ...u, pane: qualify(node, u.pane) }));
    tracker.on("removed", (pane) => this.emit("removed", qualify(node, pane)));
    tracker.on("topology", (t) => this.emit("topology", this.index(t)));
    tracker.on("state", (s) => this.emit("state", s));
  }

  get topology(): Topology {
    return this._topology;
  }

  pane(id: string): PaneInfo | undefined {
    return this.panes.get(id);
  }

  frame(id: string): Frame | undefined {
    const at = splitId(id);
    return at && at.node === this.node ? this.tracker.frame(at.local) : undefined;
  }

  private index(t: Topology): Topology {
    this._topology = qualifyTopology(this.node, t);
    this.panes = new Map(allPanes(this._topology).map((p) => [p.id, p]));
    return this._topology;
  }
}
