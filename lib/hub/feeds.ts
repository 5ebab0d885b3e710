import type { Awareness } from "../agents/awareness.ts";
import type { Documents } from "../dashboard/documents.ts";
import { Throttle } from "../events/throttle.ts";
import type { NeedsYouQueue } from "../needs-you/queue.ts";
import type { EventEmitter } from "node:events";
import type { AgentStatus, FleetEvent, PaneAlert } from "../protocol.ts";
import type { Hub, TopicSource } from "./hub.ts";

/** Where fleet events come from: this node's log, or in a cluster the shared stream (lib/cluster/events). */
export interface EventSource {
  on(event: "event", cb: (e: FleetEvent) => void): unknown;
}

/** The topics the hub sends whole, read from the awareness layer and the needs-you queue. */
export function topicsOf(awareness: Awareness, needsYou: NeedsYouQueue): TopicSource {
  return {
    sessions: (visible) => awareness.sessions(visible),
    resources: () => awareness.resources.latest,
    needsYou: (visible) => needsYou.payload(visible),
  };
}

/** What else changes the hub's pushes: in a cluster, the other nodes' states, alerts, facts and queue. */
export type HubFeedEvents = {
  sessions: [];
  resources: [];
  needsYou: [];
  status: [AgentStatus];
  alert: [PaneAlert];
};

export interface HubFeeds {
  awareness: Awareness;
  documents: Documents;
  /** The sessions push is sent at most once per this, the last change always. */
  sessionsDebounceMs: number;
  /** The event log clients get: this node's, or the cluster's shared stream. */
  events: EventSource;
  needsYou: NeedsYouQueue;
  /** The other nodes' changes (lib/cluster/agents.ts); null on a single node. */
  others: EventEmitter<HubFeedEvents> | null;
}

/**
 * Feeds the hub every push that does not come from the pane source: agent status, alerts, resource
 * samples, the sessions push, the event stream, the needs-you queue and document changes. Returns a
 * function that cancels the pending sessions push.
 */
export function feedHub(hub: Hub, f: HubFeeds): () => void {
  const { awareness } = f;
  f.needsYou.on("changed", () => hub.needsYouChanged());
  awareness.monitor.on("status", (s) => hub.publishStatus(s));
  awareness.monitor.on("alert", (a) => hub.publishAlert(a));
  awareness.resources.on("sample", () => hub.resourcesSampled());
  f.events.on("event", (e) => hub.publishEvent(e));
  f.documents.on("updated", (p) => hub.publishDoc(p));
  const sessions = new Throttle(f.sessionsDebounceMs, () => hub.sessionsChanged());
  awareness.on("changed", () => sessions.request());
  if (f.others) {
    f.others.on("sessions", () => hub.sessionsChanged());
    f.others.on("resources", () => hub.resourcesSampled());
    f.others.on("needsYou", () => hub.needsYouChanged());
    f.others.on("status", (s) => hub.publishStatus(s));
    f.others.on("alert", (a) => hub.publishAlert(a));
  }
  return () => sessions.cancel();
}
