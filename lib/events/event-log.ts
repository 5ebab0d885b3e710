import { EventEmitter } from "node:events";
import { EVENT_SCHEMA_VERSION, OPT_IN_EVENT_TYPES, type FleetEvent, type FleetEventType } from "../protocol.ts";

export type EventInput = Pick<FleetEvent, "type" | "session" | "window" | "windowId" | "pane" | "data">;

/**
 * The fleet's event stream: every event gets an id (`<epoch>:<n>`, ordered), a timestamp and the
 * schema version, and the last `size` events are kept in a ring so a client that reconnects can ask
 * for what came after the last id it saw.
 */
export class EventLog extends EventEmitter<{ event: [FleetEvent] }> {
  private readonly epoch: string;
  private readonly size: number;
  private readonly ring: FleetEvent[] = [];
  private n = 0;

  constructor(epoch: string, size: number) {
    super();
    this.epoch = epoch;
    this.size = size;
  }

  append(e: EventInput): FleetEvent {
    const event: FleetEvent = { id: `${this.epoch}:${++this.n}`, timestamp: new Date().toISOString(), schema: EVENT_SCHEMA_VERSION, ...e };
    this.ring.push(event);
    if (this.ring.length > this.size) this.ring.shift();
    this.emit("event", event);
    return event;
  }

  /** Events after `since` (all held, when absent); `truncated` when the ring no longer reaches back to it. */
  since(since: string | undefined): { events: FleetEvent[]; truncated: boolean } {
    if (since === undefined) return { events: this.ring.slice(), truncated: false };
    const [epoch, num] = since.split(":");
    const n = Number(num);
    if (epoch !== this.epoch || !Number.isInteger(n)) return { events: this.ring.slice(), truncated: true };
    const first = this.ring[0] ? Number(this.ring[0].id.split(":")[1]) : this.n + 1;
    return { events: this.ring.filter((e) => Number(e.id.split(":")[1]) > n), truncated: n + 1 < first };
  }
}

export interface EventFilter {
  types?: FleetEventType[] | undefined;
  sessions?: string[] | undefined;
  windows?: string[] | undefined;
}

const OPT_IN: ReadonlySet<FleetEventType> = new Set(OPT_IN_EVENT_TYPES);

/** Whether an event passes a subscriber's filter. Opt-in types (OPT_IN_EVENT_TYPES) pass only when named. */
export function matches(e: FleetEvent, f: EventFilter): boolean {
  if (f.types && f.types.length > 0 ? !f.types.includes(e.type) : OPT_IN.has(e.type)) return false;
  if (f.sessions && f.sessions.length > 0 && (e.session === null || !f.sessions.includes(e.session))) return false;
  if (f.windows && f.windows.length > 0 && (e.windowId === null || !f.windows.includes(e.windowId))) return false;
  return true;
}
