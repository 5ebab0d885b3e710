import type { Topology } from "../lib/protocol.ts";
import { PANE_ID } from "../lib/protocol/ids.ts";

/**
 * The pane a command-line target names, in the forms `panecast status` prints: a pane id (`%3`, in a
 * cluster `beta/%3`), `session:window.pane` (a trailing `*`, the active pane's mark, is allowed), or an
 * agent id (`@builder` or `builder`). Returns the pane id, or why none matches.
 */
export function resolvePane(topo: Topology, target: string): { pane: string } | { error: string } {
  if (PANE_ID.test(target)) return { pane: target };
  const panes = topo.sessions.flatMap((s) => s.windows.flatMap((w) => w.panes.map((p) => ({ p, at: `${s.name}:${w.index}.${p.index}` }))));
  const at = /^(.+):(\d+)\.(\d+)\*?$/.exec(target);
  const found = at
    ? panes.filter((x) => x.at === `${at[1]}:${at[2]}.${at[3]}`)
    : panes.filter((x) => x.p.agentId !== null && x.p.agentId === (target.startsWith("@") ? target.slice(1) : target));
  if (found.length === 1) return { pane: found[0]!.p.id };
  if (found.length > 1) return { error: `${target} names ${found.length} panes (${found.map((x) => x.p.id).join(", ")}); give a pane id` };
  return { error: `no pane ${target}: expected a pane id (%3), session:window.pane or an agent id (@name), as 'panecast status' prints them` };
}
