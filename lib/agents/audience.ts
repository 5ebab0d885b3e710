/**
 * Who is watching, as the samplers need to know it: the one port between them and the fan-out, so the
 * hub's insides can change without touching them. lib/app.ts implements it with what the hub knows.
 */
export interface Audience {
  /** Clients connected now. */
  clientCount(): number;
  /** Panes at least one connected client may see and is subscribed to; null: no limit known (all). */
  visiblePanes(): ReadonlySet<string> | null;
}
