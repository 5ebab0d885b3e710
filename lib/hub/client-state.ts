import type { EventFilter } from "../events/event-log.ts";
import type { ClientPort, View } from "./ports.ts";

/**
 * What the hub keeps per client. Everything here is bounded by the number of panes, documents and
 * topics, never by the number of updates: a client that is behind has at most one pending state per
 * pane (`stale`, a set) and one flag per topic, filled with the current value when it is sent.
 */
export interface ClientState {
  port: ClientPort;
  view: View;
  viewKey: string;
  rooms: Set<string>;
  roomsKey: string;
  subscribed: boolean;
  /** The seq of the last state of each pane this client was sent. */
  sent: Map<string, number>;
  /** Panes whose changes it missed while behind. */
  stale: Set<string>;
  /** Panes it held that are gone. */
  removed: Set<string>;
  /** Panes it shows off screen (`view:set`): their changes wait in `deferred`, sent at a lower rate. */
  far: Set<string>;
  /** Panes it shows in its focused view (`view:set` focus): tmux reads them at the frame pace. */
  focus: Set<string>;
  /** Off-screen panes that changed since it was last sent them. */
  deferred: Set<string>;
  /** When `deferred` goes out next (performance.now() ms). */
  farDueAt: number;
  /** The client shows changes at most this often (`view:set` frameMs): batches wait until `batchDueAt`. */
  frameMs: number;
  batchDueAt: number;
  tmux: boolean;
  topology: boolean;
  sessions: boolean;
  resources: boolean;
  needsYou: boolean;
  /** The event stream filter, once it sent `events:subscribe`. */
  events: EventFilter | null;
  eventsKey: string;
  /** Events up to this number were in the `events:subscribe` answer. */
  eventsAfter: number | null;
  eventsMissed: boolean;
  lastEvent: string | null;
  docs: Set<string>;
  docsStale: Set<string>;
  /**
   * The numbers of the batches sent and not yet acknowledged, oldest first; null while the client
   * has never sent `batch:ack` (it gets no flow control, only the transport bound). At most the
   * window: a client with a full window is skipped like one over the transport bound.
   */
  unacked: number[] | null;
}

export function newClientState(port: ClientPort, view: View): ClientState {
  return {
    port,
    view,
    viewKey: view ? `v${view.key}` : "all",
    rooms: new Set(),
    roomsKey: "",
    subscribed: false,
    sent: new Map(),
    stale: new Set(),
    removed: new Set(),
    far: new Set(),
    focus: new Set(),
    deferred: new Set(),
    farDueAt: 0,
    frameMs: 0,
    batchDueAt: 0,
    tmux: false,
    topology: false,
    // A new client gets the sessions push (and the latest resources) in its first batch.
    sessions: true,
    resources: true,
    needsYou: true,
    events: null,
    eventsKey: "",
    eventsAfter: null,
    eventsMissed: false,
    lastEvent: null,
    docs: new Set(),
    docsStale: new Set(),
    unacked: null,
  };
}

/** Whether anything is marked due for this client. */
export function hasPending(c: ClientState): boolean {
  return c.stale.size > 0 || c.removed.size > 0 || c.docsStale.size > 0 || c.tmux || c.topology || c.sessions || c.resources || c.needsYou || c.eventsMissed;
}

/** The number in an event id `<epoch>:<n>`. */
export function eventNumber(id: string): number {
  return Number(id.slice(id.indexOf(":") + 1));
}

/** A new pane filter (`panes:subscribe`): nothing is held as sent or missed until it is answered. */
export function resubscribe(c: ClientState, rooms: Iterable<string>): void {
  c.rooms = new Set(rooms);
  c.roomsKey = [...c.rooms].sort().join(",");
  c.subscribed = true;
  c.sent.clear();
  c.stale.clear();
  c.deferred.clear();
  c.removed.clear();
  c.topology = false;
}

/** The client's event stream from now on; `after` is the last event it was handed already. */
export function followEvents(c: ClientState, filter: EventFilter, after: string | null): void {
  c.events = filter;
  c.eventsKey = JSON.stringify([filter.types ?? [], filter.sessions ?? [], filter.windows ?? []]);
  c.eventsAfter = after ? eventNumber(after) : null;
  c.eventsMissed = false;
  if (after) c.lastEvent = after;
}

/** A pane is gone: the client hears so if it held the pane, and keeps no mark for it. */
export function forgetPane(c: ClientState, pane: string): void {
  if (c.sent.delete(pane)) c.removed.add(pane);
  c.stale.delete(pane);
  c.deferred.delete(pane);
  c.far.delete(pane);
}
