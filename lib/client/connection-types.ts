import type { EventsSubscribeRequest, PrincipalInfo, SubscriptionFilter, TmuxState } from "../protocol.ts";

export type ConnectionState = "connecting" | "live" | "reconnecting" | "offline";

export interface ConnectionStatus {
  state: ConnectionState;
  /** When the next attempt starts (ms since epoch), while reconnecting or offline. */
  nextAttemptAt: number | null;
  attempt: number;
  tmux: TmuxState | null;
  /** Who the server says this connection is. */
  principal: PrincipalInfo | null;
  authEnabled: boolean;
  /** The server refused the connection's credentials (log in again). */
  unauthorized: boolean;
  /** Why the last attempt failed, when it did. */
  lastError: string | null;
}

export interface ConnectionOptions {
  /** Server origin; the page's own when absent. */
  url?: string;
  /** The server's base path ("" or "/panecast"). */
  basePath?: string;
  filter?: SubscriptionFilter;
  transports?: Array<"websocket" | "polling">;
  backoff?: { minMs?: number; maxMs?: number; factor?: number; jitter?: number };
  /** Attempts after which the state shows "offline" (retries go on at the maximum interval). */
  offlineAfter?: number;
  /** A token (Node clients); browsers use the session cookie instead. */
  token?: string;
  /** The session's page key, asked on every (re)connect (browsers: lib/client/page-key.ts). */
  pageKey?: () => string | null;
  /** The event stream filter (all events when absent). */
  events?: Omit<EventsSubscribeRequest, "since">;
  /**
   * Follow the panes (default true). False: never `subscribe`, so the hub sends this connection no
   * topology and no pane screens, only what every connection gets (tmux state, sessions, status,
   * alerts, resources) plus the event stream and watched documents: a page's header without the grid.
   */
  panes?: boolean;
}
