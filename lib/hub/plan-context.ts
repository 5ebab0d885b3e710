import type { DocPayload, Topology } from "../protocol.ts";
import type { PlanContext } from "./batch-plan.ts";
import { updateFor } from "./catch-up.ts";
import type { ClientState } from "./client-state.ts";
import { farDue } from "./far.ts";
import type { PaneIndex } from "./pane-index.ts";
import type { PaneSource, TopicSource } from "./ports.ts";
import type { ReplayRing } from "./replay-ring.ts";
import { visibleTopology } from "./rooms.ts";
import { limitResources, limitSessions } from "./views.ts";

/** What the hub holds that a batch is planned from. */
export interface PlanSources {
  panes: PaneSource;
  topics: TopicSource;
  index: PaneIndex;
  ring: ReplayRing;
  docs: ReadonlyMap<string, DocPayload>;
  farIntervalMs: number | undefined;
  onCatchUp(): void;
}

/** The topology a subscribed client follows: its rooms, within its view. */
export function topologyOf(panes: PaneSource, c: ClientState): Topology {
  return limitSessions(visibleTopology(panes.topology, c.rooms), c.view);
}

/** The planner's questions, answered from the hub's state with each client's view applied. */
export function planContext(src: PlanSources): PlanContext {
  const { panes, topics, index, ring } = src;
  return {
    tmuxState: () => panes.state,
    wants: (c, pane) => index.wants(c, pane),
    updateFor: (tick, pane, from) => updateFor(panes, ring, tick, pane, from),
    topologyOf: (c) => topologyOf(panes, c),
    sessions: (c) => topics.sessions(c.view ? (s) => c.view!.sees(s) : null),
    resources: (c) => {
      const r = topics.resources();
      return r && limitResources(r, c.view, (pane) => index.sessionOf(pane));
    },
    needsYou: (c) => topics.needsYou(c.view ? (s) => c.view!.sees(s) : null),
    seesSession: (c, session) => session === null || !c.view || c.view.sees(session),
    sessionOf: (pane) => index.sessionOf(pane) ?? null,
    doc: (name) => src.docs.get(name),
    onCatchUp: () => src.onCatchUp(),
    farDue: (c) => farDue(c, src.farIntervalMs),
  };
}
