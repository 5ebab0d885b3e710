import type { Frame, TrackerEvents } from "../panes/tracker.ts";
import type { PaneInfo, Topology } from "../protocol.ts";

/**
 * The panes as the agent layer reads them: the tracker itself, or in a cluster the tracker seen
 * through lib/panes/node-view (ids carrying the node). Only this node's panes: resources and git
 * read the local machine.
 */
export interface PaneView {
  readonly topology: Topology;
  pane(id: string): PaneInfo | undefined;
  frame(id: string): Frame | undefined;
  on<K extends keyof TrackerEvents>(event: K, cb: (...args: TrackerEvents[K]) => void): unknown;
  /** Panes whose title changed while their screen did not, where the view can tell. */
  readonly titles?: { on(event: "changed", cb: (pane: string) => void): unknown };
}
