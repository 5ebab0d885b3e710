import { EventEmitter } from "node:events";
import type { PaneView } from "../agents/pane-view.ts";
import type { PaneSource } from "../hub/ports.ts";
import type { Frame, PaneTracker, TrackerEvents } from "./tracker.ts";
import type { PaneInfo, PaneUpdate, TmuxState, Topology } from "../protocol.ts";
import { allPanes } from "../topology.ts";
import { qualify, qualifyTopology, splitId } from "../cluster/ids.ts";

/** What the view reads of the tracker. */
export type TrackerPort = Pick<PaneTracker, "topology" | "state" | "pane" | "paneNow" | "frame" | "fullUpdate"> & {
  on<K extends keyof TrackerEvents>(event: K, cb: (...args: TrackerEvents[K]) => void): unknown;
};

/** The id the rest of panecast uses for the pane tmux calls `local`: `alpha/%3` in a cluster, `%3` alone. */
export function viewIdOf(node: string | null, local: string): string {
  return node ? qualify(node, local) : local;
}

/**
 * This node's panes with the ids the rest of panecast uses: `alpha/%3` in a cluster, tmux's own `%3`
 * on a single node. The tracker is wrapped once, here; the agents, the HTTP routes, the hooks' signal
 * route, the flight recorder's states and the hub's pane source all read this view, so a pane has
 * one id everywhere above the tracker. Only the tracker and the commands run for other nodes speak
 * tmux ids (`localOf` turns one back).
 */
export class NodeView extends EventEmitter<TrackerEvents> implements PaneView, PaneSource {
  private _topology: Topology = { sessions: [] };
  private panes = new Map<string, PaneInfo>();

  /** `node`: this node's name in a cluster; null on a single node (ids pass through unchanged). */
  constructor(
    readonly tracker: TrackerPort,
    readonly node: string | null,
  ) {
    super();
    this.index(tracker.topology);
    tracker.on("update", (u) => this.emit("update", node ? { ...u, pane: qualify(node, u.pane) } : u));
    tracker.on("removed", (pane) => this.emit("removed", this.idOf(pane)));
    tracker.on("topology", (t) => this.emit("topology", this.index(t)));
    tracker.on("state", (s) => this.emit("state", s));
  }

  get topology(): Topology {
    return this._topology;
  }

  get state(): TmuxState {
    return this.tracker.state;
  }

  /** The id of the pane tmux calls `local`. */
  idOf(local: string): string {
    return viewIdOf(this.node, local);
  }

  /** The tmux id of a pane of this node; null for another node's pane (or an id without a node in a cluster). */
  localOf(id: string): string | null {
    if (!this.node) return id;
    const at = splitId(id);
    return at && at.node === this.node ? at.local : null;
  }

  pane(id: string): PaneInfo | undefined {
    return this.node ? this.panes.get(id) : this.tracker.pane(id);
  }

  /** The pane, reading tmux's topology again first when it is not known yet (made a moment ago). */
  async paneNow(id: string): Promise<PaneInfo | undefined> {
    const local = this.localOf(id);
    if (local === null) return undefined;
    const found = await this.tracker.paneNow(local);
    if (!found || !this.node) return found;
    return { ...found, id, sessionId: qualify(this.node, found.sessionId), windowId: qualify(this.node, found.windowId), node: this.node };
  }

  /** The pane's whole current frame as an update (what the hub sends a client that has none). */
  fullUpdate(id: string): PaneUpdate | null {
    const local = this.localOf(id);
    const u = local === null ? null : this.tracker.fullUpdate(local);
    return u && this.node ? { ...u, pane: id } : u;
  }

  frame(id: string): Frame | undefined {
    const local = this.localOf(id);
    return local === null ? undefined : this.tracker.frame(local);
  }

  private index(t: Topology): Topology {
    if (!this.node) return (this._topology = t);
    this._topology = qualifyTopology(this.node, t);
    this.panes = new Map(allPanes(this._topology).map((p) => [p.id, p]));
    return this._topology;
  }
}
