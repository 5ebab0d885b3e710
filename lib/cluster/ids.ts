import { hostname } from "node:os";
import type { Topology } from "../protocol.ts";
import { NODE_NAME } from "../protocol/ids.ts";

/** This node's name: the configured one, else the host name cleaned to the node-name shape. */
export function nodeNameOf(configured: string | null): string {
  if (configured) return configured;
  const h = hostname().replace(/[^A-Za-z0-9_.-]/g, "-").slice(0, 64);
  return h || "node";
}

/** `beta/%3` → `{ node: "beta", local: "%3" }`; null for an id without a node. */
export function splitId(id: string): { node: string; local: string } | null {
  const at = id.indexOf("/");
  if (at <= 0) return null;
  const node = id.slice(0, at);
  return NODE_NAME.test(node) ? { node, local: id.slice(at + 1) } : null;
}

export function qualify(node: string, id: string): string {
  return `${node}/${id}`;
}

/** A node's topology with every session, window and pane id carrying the node, and `node` set. */
export function qualifyTopology(node: string, t: Topology): Topology {
  return {
    sessions: t.sessions.map((s) => ({
      ...s,
      id: qualify(node, s.id),
      node,
      windows: s.windows.map((w) => ({
        ...w,
        id: qualify(node, w.id),
        node,
        panes: w.panes.map((p) => ({ ...p, id: qualify(node, p.id), sessionId: qualify(node, p.sessionId), windowId: qualify(node, p.windowId), node })),
      })),
    })),
  };
}

/** Marks every session of a topology offline (its node is unreachable), or clears the mark. */
export function withOffline(t: Topology, offline: boolean): Topology {
  return { sessions: t.sessions.map(({ offline: _o, ...s }) => (offline ? { ...s, offline: true } : s)) };
}
