import type { TopicSource } from "../hub/ports.ts";
import type { AgentStatus, GitState, NeedsYouPayload, NodeInfo, PaneInfo, ResourcesPayload, SessionsPayload } from "../protocol.ts";
import type { ClusterFacts } from "./facts.ts";
import type { ClusterPaneSource } from "./source.ts";
import type { RemoteStatuses } from "./statuses.ts";

/** What the cluster view reads besides the pane source. */
export interface ClusterTopicParts {
  source: ClusterPaneSource;
  statuses: RemoteStatuses;
  facts: ClusterFacts;
  nodes: () => NodeInfo[];
  /** Every node's needs-you items (lib/cluster/needs-you). */
  needsYou: (visible: ((session: string) => boolean) | null) => NeedsYouPayload;
}

/**
 * The topics the hub sends whole (the `sessions` push, also `GET /api/sessions`, and the resources
 * sample) for the whole cluster: every node's sessions, each pane's status (this node's monitor, the
 * others' from their events), git state and resources. A pane of an offline node shows `offline`
 * (since its node's last heartbeat), never the state it had, and no resources (they are not current).
 */
export function clusterTopics(local: TopicSource, parts: ClusterTopicParts): TopicSource {
  const offlineSince = (): Map<string, string> => new Map(parts.nodes().filter((n) => !n.online).map((n) => [n.name, n.lastSeen]));
  return {
    sessions: (visible): SessionsPayload => {
      const own = local.sessions(null);
      const remoteGit = parts.facts.gitOf();
      const down = offlineSince();
      const sessions = parts.source.topology.sessions.filter((s) => !visible || visible(s.name));
      const status: Record<string, AgentStatus> = {};
      const git: Record<string, GitState | null> = {};
      for (const s of sessions) {
        for (const w of s.windows) {
          for (const p of w.panes) {
            const last = own.status[p.id] ?? parts.statuses.get(p.id);
            const since = p.node !== undefined ? down.get(p.node) : undefined;
            const st = since !== undefined ? offlineStatus(p, last, since) : last;
            if (st) status[p.id] = st;
            const g = p.id in own.git ? own.git[p.id] : remoteGit[p.id];
            if (g !== undefined) git[p.id] = g;
          }
        }
      }
      return { type: "sessions", sessions, status, git };
    },
    resources: (): ResourcesPayload | null => {
      const mine = local.resources();
      const others = parts.facts.resourcesOf(new Set(offlineSince().keys()));
      if (!mine) return Object.keys(others).length === 0 ? null : { at: new Date().toISOString(), host: NO_HOST, panes: others };
      return { ...mine, panes: { ...others, ...mine.panes } };
    },
    // Each node keeps the items of its own panes; every node shows everyone's.
    needsYou: (visible) => parts.needsYou(visible),
  };
}

// A web-only node samples no host of its own until a client watches; the header shows zeros until then.
const NO_HOST: ResourcesPayload["host"] = { load: [0, 0, 0], cpus: 0, memTotalBytes: 0, memAvailableBytes: 0 };

function offlineStatus(p: PaneInfo, last: AgentStatus | null | undefined, since: string): AgentStatus {
  return {
    pane: p.id,
    state: "offline",
    previous: last && last.state !== "offline" ? last.state : null,
    source: last?.source ?? "screen",
    agentType: last?.agentType ?? p.agentType,
    since,
    line: null,
  };
}
