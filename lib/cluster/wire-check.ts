import type { Topology } from "../protocol.ts";
import { LOCAL_PANE_ID as PANE_ID, LOCAL_SESSION_ID as SESSION_ID, LOCAL_WINDOW_ID as WINDOW_ID, NODE_NAME } from "../protocol/ids.ts";
import { splitId } from "./ids.ts";

/**
 * What other nodes wrote to Redis is input like any other: node names and ids are checked with the
 * same patterns as a client's before anything uses them (a key, a channel, an audit line, a tmux id).
 */
export function isNodeName(s: unknown): s is string {
  return typeof s === "string" && NODE_NAME.test(s);
}

/** A pane id as its own node names it (`%3`). */
export function isLocalPane(s: unknown): s is string {
  return typeof s === "string" && PANE_ID.test(s);
}

/** A cluster pane id (`beta/%3`) with a valid node and local pane; null otherwise. */
export function clusterPane(id: unknown): { node: string; local: string } | null {
  if (typeof id !== "string") return null;
  const at = splitId(id);
  return at && isLocalPane(at.local) ? at : null;
}

/**
 * A node's topology as it wrote it: every id local to the node (`$1`, `@2`, `%3`) and no node
 * name of its own (the reader qualifies them). False for anything else: the whole topology is refused.
 */
export function localTopologyValid(t: Topology): boolean {
  return t.sessions.every(
    (s) =>
      SESSION_ID.test(s.id) &&
      s.node === undefined &&
      s.windows.every((w) => WINDOW_ID.test(w.id) && w.node === undefined && w.panes.every((p) => PANE_ID.test(p.id) && SESSION_ID.test(p.sessionId) && WINDOW_ID.test(p.windowId) && p.node === undefined)),
  );
}
