import type { Topology } from "../protocol.ts";
import { allPanes } from "../topology.ts";
import type { ClientState } from "./client-state.ts";
import { meets, roomsOfPane } from "./rooms.ts";

/** Each pane of the current topology with its rooms and its session: what decides who gets it. */
export class PaneIndex {
  private rooms = new Map<string, string[]>();
  private sessions = new Map<string, string>();

  /** Replaces the index with the panes of this topology. */
  index(t: Topology): void {
    const rooms = new Map<string, string[]>();
    const sessions = new Map<string, string>();
    for (const p of allPanes(t)) {
      rooms.set(p.id, roomsOfPane(p));
      sessions.set(p.id, p.sessionName);
    }
    this.rooms = rooms;
    this.sessions = sessions;
  }

  drop(pane: string): void {
    this.rooms.delete(pane);
    this.sessions.delete(pane);
  }

  has(pane: string): boolean {
    return this.rooms.has(pane);
  }

  sessionOf(pane: string): string | undefined {
    return this.sessions.get(pane);
  }

  /** The client's limit allows this pane's session. */
  allowed(c: ClientState, pane: string): boolean {
    if (!c.view) return true;
    const session = this.sessions.get(pane);
    return session !== undefined && c.view.sees(session);
  }

  /** Subscribed to this pane, and allowed to see it. */
  wants(c: ClientState, pane: string): boolean {
    const rooms = this.rooms.get(pane);
    return c.subscribed && !!rooms && meets(c.rooms, rooms) && this.allowed(c, pane);
  }
}
