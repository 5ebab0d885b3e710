import type { Awareness } from "../agents/awareness.ts";
import type { Documents } from "../dashboard/documents.ts";
import { Throttle } from "../events/throttle.ts";
import type { NeedsYouQueue } from "../needs-you/queue.ts";
import type { FleetEvent } from "../protocol.ts";
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

/**
 * Feeds the hub every push that does not come from the pane tracker: agent status, alerts, resource
 * samples, the sessions push (at most once per `sessionsDebounceMs`, the last change always sent),
 * the event stream and document changes. Returns a function that cancels the pending sessions push.
 */
export function feedHub(hub: Hub, awareness: Awareness, documents: Documents, sessionsDebounceMs: number, events: EventSource = awareness.events, needsYou: NeedsYouQueue | null = null): () => void {
  needsYou?.on("changed", () => hub.needsYouChanged());
  awareness.monitor.on("status", (s) => hub.publishStatus(s));
  awareness.monitor.on("alert", (a) => hub.publishAlert(a));
  awareness.resources.on("sample", () => hub.resourcesSampled());
  events.on("event", (e) => hub.publishEvent(e));
  documents.on("updated", (p) => hub.publishDoc(p));
  const sessions = new Throttle(sessionsDebounceMs, () => hub.sessionsChanged());
  awareness.on("changed", () => sessions.request());
  return () => sessions.cancel();
}
