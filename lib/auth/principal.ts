import type { PaneInfo, Role } from "../protocol.ts";
import { roleAtLeast } from "../roles.ts";
import { globToRegExp } from "../topology.ts";

/** Who is asking: the token behind a request or socket. With auth off, everyone is the local admin. */
export interface Principal {
  tokenId: string;
  name: string;
  role: Role;
  /** Session name globs this principal may see; null: all sessions. */
  sessions: string[] | null;
  /** When the token expires (ms since the epoch); null: never. */
  expiresAt: number | null;
  /** The login session behind a cookie (lib/auth/sessions.ts); absent for a token presented directly. */
  sessionId?: string;
}

export const LOCAL_ADMIN: Principal = { tokenId: "local", name: "local", role: "admin", sessions: null, expiresAt: null };

/** viewer reads; operator also types to panes; admin also manages tokens; agent reads nothing. */
export function hasRole(p: Principal, needed: Role): boolean {
  return roleAtLeast(p.role, needed);
}

/** Whether a principal may see a session (its name, its panes, their content and events). */
export function sessionVisible(p: Principal, sessionName: string): boolean {
  if (p.sessions === null) return true;
  return p.sessions.some((g) => globToRegExp(g).test(sessionName));
}

export function paneVisible(p: Principal, pane: Pick<PaneInfo, "sessionName">): boolean {
  return sessionVisible(p, pane.sessionName);
}

/** An `agent` token only posts hook signals: it opens no page, socket or read route. */
export function isSignalOnly(p: Principal): boolean {
  return p.role === "agent";
}
