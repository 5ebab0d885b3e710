import type { Awareness } from "../agents/awareness.ts";
import type { Documents } from "../dashboard/documents.ts";
import { Throttle } from "../events/throttle.ts";
import type { FleetEvent } from "../protocol.ts";
import type { Hub, TopicSource } from "./hub.ts";

/** Where fleet events come from: this node's log, or in a cluster the shared stream (lib/cluster/events). */
export interface EventSource {
  on(event: "event", cb: (e: FleetEvent) => void): unknown;
}

/** The topics the hub sends whole, read from the awareness layer. */
export function topicsOf(awareness: Awareness): TopicSource {
  return {
    sessions: (visible) => awareness.sessions(visible),
    resources: () => awareness.resources.latest,
  };
}

/**
 * Feeds the hub every push that does not come from the pane tracker: agent status, alerts, resource
 * samples, the sessions push (at most once per `sessionsDebounceMs`, the last change always sent),
 * the event stream and document changes. Returns a function that cancels the pending sessions push.
 */
export function feedHub(hub: Hub, awareness: Awareness, documents: Documents, sessionsDebounceMs: number, events: EventSource = awareness.events): () => void {
  awareness.monitor.on("status", (s) => hub.publishStatus(s));
  awareness.monitor.on("alert", (a) => hub.publishAlert(a));
  awareness.resources.on("sample", () => hub.resourcesSampled());
  events.on("event", (e) => hub.publishEvent(e));
  documents.on("updated", (p) => hub.publishDoc(p));
  const sessions = new Throttle(sessionsDebounceMs, () => hub.sessionsChanged());
  awareness.on("changed", () => sessions.request());
  return () => sessions.cancel();
}
