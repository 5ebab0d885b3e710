import { EventEmitter } from "node:events";
import type { PaneSource, PaneSourceEvents } from "../hub/ports.ts";
import type { NodeView } from "../panes/node-view.ts";
import type { PaneDelta, PaneUpdate, TmuxState, Topology } from "../protocol.ts";
import { allPanes } from "../topology.ts";
import { qualify, qualifyTopology, splitId, withOffline } from "./ids.ts";
import type { RemoteEvents, RemoteNode } from "./remote.ts";

/** The other nodes' panes as this source reads them (lib/cluster/remote's RemoteStore). */
export interface RemotePanes {
  readonly nodes: ReadonlyMap<string, RemoteNode>;
  on<K extends keyof RemoteEvents>(event: K, cb: (...args: RemoteEvents[K]) => void): unknown;
}

interface Shown {
  seq: number;
  lines: string[];
  hash: number;
  width: number;
  height: number;
}

/**
 * The whole cluster as one pane source for the hub: this node's view (lib/panes/node-view, ids
 * carrying the node already) merged with every other node's panes, qualified the same way. A pane's seqs are its owning node's, so they are the same on
 * every node: a client that resumes on another node holds seqs that node's replay ring knows, and
 * gets deltas. A node's seqs only grow, across its restarts too (the tracker numbers from the clock);
 * an update that would go backwards is dropped, and a restarted node's unchanged screen under a new
 * seq goes out as an empty delta (the seq moves, nothing is redrawn).
 */
export class ClusterPaneSource extends EventEmitter<PaneSourceEvents> implements PaneSource {
  private readonly seqs = new Map<string, number>();
  /** The hash and size last sent per pane: a whole frame equal to it is not sent again. */
  private readonly sent = new Map<string, string>();
  private _topology: Topology = { sessions: [] };
  private json = "";
  private offline = new Set<string>();
  private live = new Set<string>();

  constructor(
    private readonly local: NodeView | null,
    private readonly remote: RemotePanes,
    private readonly self: string,
  ) {
    super();
    if (local) {
      local.on("update", (u) => this.frameChanged(u.pane, u.delta.kind === "diff" ? u.delta : null, u.base));
      local.on("topology", () => this.rebuild());
      local.on("removed", () => this.rebuild());
      local.on("state", (s) => this.emit("state", s));
    }
    remote.on("topology", () => this.rebuild());
    remote.on("frame", (node, pane, delta, base) => this.frameChanged(qualify(node, pane), delta, base));
    this.rebuild();
  }

  get topology(): Topology {
    return this._topology;
  }

  /** A web-only node has no tmux of its own; it is never "down". */
  get state(): TmuxState {
    return this.local ? this.local.state : "up";
  }

  /** Which nodes are unreachable: their sessions carry `offline: true`, their panes their last screen. */
  setOffline(nodes: ReadonlySet<string>): void {
    this.offline = new Set(nodes);
    this.rebuild();
  }

  /** The pane's node and id on that node; null for an id this source does not hold. */
  locate(id: string): { node: string; local: string } | null {
    const at = splitId(id);
    return at && this.seqs.has(id) ? at : null;
  }

  fullUpdate(id: string): PaneUpdate | null {
    const seq = this.seqs.get(id);
    const f = seq === undefined ? null : this.shown(id);
    if (seq === undefined || !f) return null;
    return { pane: id, seq, base: 0, delta: { kind: "full", lines: f.lines }, hash: f.hash, width: f.width, height: f.height };
  }

  private shown(id: string): Shown | null {
    const at = splitId(id);
    if (!at) return null;
    if (at.node === this.self) return this.local?.frame(id) ?? null;
    return this.remote.nodes.get(at.node)?.frames.get(at.local) ?? null;
  }

  /** `delta` leads from the frame of seq `base`; null: the frame is to be taken whole. */
  private frameChanged(id: string, delta: PaneDelta | null, base = 0): void {
    const f = this.shown(id);
    // A pane not in the topology yet is taken up (whole) when the topology lists it.
    if (!f || !this.live.has(id)) return;
    const prev = this.seqs.get(id);
    if (prev !== undefined && f.seq <= prev) return;
    const mark = `${f.hash}:${f.width}x${f.height}`;
    let out: PaneDelta;
    if (prev !== undefined && delta !== null && base === prev) out = delta;
    else if (prev !== undefined && this.sent.get(id) === mark) out = { kind: "diff", shift: 0, length: f.lines.length, set: [] };
    else out = { kind: "full", lines: f.lines };
    this.seqs.set(id, f.seq);
    this.sent.set(id, mark);
    this.emit("update", {
      pane: id,
      seq: f.seq,
      base: out.kind === "full" ? 0 : prev!,
      delta: out,
      hash: f.hash,
      width: f.width,
      height: f.height,
    });
  }

  private rebuild(): void {
    const sessions = this.local ? [...this.local.topology.sessions] : [];
    for (const node of [...this.remote.nodes.keys()].sort()) {
      const t = qualifyTopology(node, this.remote.nodes.get(node)!.topology);
      sessions.push(...withOffline(t, this.offline.has(node)).sessions);
    }
    const next: Topology = { sessions };
    this.live = new Set(allPanes(next).map((p) => p.id));
    for (const id of [...this.seqs.keys()]) {
      if (this.live.has(id)) continue;
      this.seqs.delete(id);
      this.sent.delete(id);
      this.emit("removed", id);
    }
    const json = JSON.stringify(next);
    if (json !== this.json) {
      this.json = json;
      this._topology = next;
      this.emit("topology", next);
    }
    for (const id of this.live) if (!this.seqs.has(id)) this.frameChanged(id, null);
  }
}
