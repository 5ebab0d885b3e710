import { sessionVisible } from "../auth/principal.ts";
import { matches } from "../events/event-log.ts";
import { Throttle } from "../events/throttle.ts";
import type { RealtimeDeps } from "./deps.ts";
import type { PanecastIo, PanecastSocket } from "./io.ts";

/**
 * Agent status, alerts, resources, the sessions push and the event stream, each to the clients that
 * may see it: one broadcast for unlimited tokens, one by one for tokens limited to some sessions.
 */
export function wireAwareness(io: PanecastIo, deps: RealtimeDeps): void {
  const { awareness, tracker, hub } = deps;
  const sockets = () => [...io.of("/").sockets.values()];
  const sees = (s: PanecastSocket, session: string | null | undefined) => session == null || sessionVisible(s.data.principal, session);
  const sessionOf = (pane: string) => tracker.pane(pane)?.sessionName ?? "\u0000";
  const behind = (s: PanecastSocket) => (s.data.behind ??= { sessions: false, events: false });
  // Clients that get their own copy: limited tokens (filtered) and clients over their bound (skipped).
  const apart = () => sockets().filter((s) => s.data.principal.sessions !== null || hub.congested(s.id));

  const sessionsFor = (s: PanecastSocket) =>
    awareness.sessions(s.data.principal.sessions === null ? null : (name) => sessionVisible(s.data.principal, name));
  const sendSessions = (s: PanecastSocket) => {
    if (hub.congested(s.id)) behind(s).sessions = true;
    else s.emit("sessions", sessionsFor(s));
  };
  const sendEvent = (s: PanecastSocket, emit: () => void, id: string | null) => {
    if (hub.congested(s.id)) {
      behind(s).events = true;
      return;
    }
    emit();
    if (id) s.data.lastEvent = id;
  };

  // Status changes also ride in the sessions push, so a client that skips some still ends right.
  awareness.monitor.on("status", (st) => {
    const session = sessionOf(st.pane);
    for (const s of sockets()) if (sees(s, session) && !hub.congested(s.id)) s.emit("agent:status", st);
  });
  awareness.monitor.on("alert", (a) => {
    for (const s of sockets()) if (sees(s, a.session)) sendEvent(s, () => s.emit("pane:alert", a), null);
  });
  awareness.resources.on("sample", (r) => {
    const few = apart();
    io.except(few.map((s) => s.id)).emit("resources:updated", r);
    for (const s of few) {
      if (hub.congested(s.id)) continue; // the next sample comes soon enough
      const panes = Object.fromEntries(Object.entries(r.panes).filter(([id]) => sees(s, sessionOf(id))));
      s.emit("resources:updated", { ...r, panes });
    }
  });
  const push = new Throttle(deps.config.events.sessions_debounce_ms, () => {
    const few = apart();
    io.except(few.map((s) => s.id)).emit("sessions", awareness.sessions());
    for (const s of few) sendSessions(s);
  });
  awareness.on("changed", () => push.request());
  awareness.events.on("event", (e) => {
    for (const s of sockets()) {
      if (s.data.events && matches(e, s.data.events) && sees(s, e.session)) sendEvent(s, () => s.emit("event", e), e.id);
    }
  });
  io.on("connection", (socket) => {
    (socket.conn as unknown as { on(e: "drain", cb: () => void): void }).on("drain", () => {
      const b = socket.data.behind;
      if (!b || hub.congested(socket.id)) return;
      if (b.sessions) {
        b.sessions = false;
        socket.emit("sessions", sessionsFor(socket));
      }
      if (b.events) {
        b.events = false;
        socket.emit("events:missed", { since: socket.data.lastEvent ?? null });
      }
    });
  });
}
