import type { ResourcesPayload, Topology } from "../protocol.ts";
import type { View } from "./ports.ts";

/** What a token limited to some sessions may see of a topology: those sessions only. */
export function limitSessions(t: Topology, view: View): Topology {
  if (!view) return t;
  return { sessions: t.sessions.filter((s) => view.sees(s.name)) };
}

/** A resources sample with only the panes of sessions the view allows (the host figures stay). */
export function limitResources(r: ResourcesPayload, view: View, sessionOf: (pane: string) => string | undefined): ResourcesPayload {
  if (!view) return r;
  const panes = Object.fromEntries(
    Object.entries(r.panes).filter(([id]) => {
      const s = sessionOf(id);
      return s !== undefined && view.sees(s);
    }),
  );
  return { ...r, panes };
}
