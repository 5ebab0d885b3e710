import type { PaneInfo, SessionInfo, SubscriptionFilter, Topology } from "../protocol.ts";

/**
 * Rooms are how subscriptions are expressed: a client joins the rooms of its filter, an update goes to
 * the rooms of its pane, and a client receives it when the two meet. Filters by session accept a
 * session's name or id.
 */
export const ALL_ROOM = "all";

export function roomsOfFilter(f: SubscriptionFilter | undefined): string[] {
  const rooms = [
    ...(f?.sessions ?? []).map((s) => (s.startsWith("$") ? `s:${s}` : `sn:${s}`)),
    ...(f?.windows ?? []).map((w) => `w:${w}`),
    ...(f?.panes ?? []).map((p) => `p:${p}`),
  ];
  return rooms.length > 0 ? rooms : [ALL_ROOM];
}

export function roomsOfPane(p: PaneInfo): string[] {
  return [ALL_ROOM, `s:${p.sessionId}`, `sn:${p.sessionName}`, `w:${p.windowId}`, `p:${p.id}`];
}

export function meets(clientRooms: ReadonlySet<string>, paneRooms: readonly string[]): boolean {
  for (const r of paneRooms) if (clientRooms.has(r)) return true;
  return false;
}

/** The part of a topology a client's rooms can see: whole sessions, windows or single panes. */
export function visibleTopology(t: Topology, rooms: ReadonlySet<string>): Topology {
  if (rooms.has(ALL_ROOM)) return t;
  const sessions: SessionInfo[] = [];
  for (const s of t.sessions) {
    const windows = s.windows
      .map((w) => ({ ...w, panes: w.panes.filter((p) => meets(rooms, roomsOfPane(p))) }))
      .filter((w) => w.panes.length > 0);
    if (windows.length > 0) sessions.push({ ...s, windows });
  }
  return { sessions };
}
