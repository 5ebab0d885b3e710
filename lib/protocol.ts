/**
 * The wire contract between the panecast server, the browser and every client: typed Socket.IO event
 * maps and payloads. Types and constants only, no runtime imports, so any client can import it cheaply.
 * Requests are `noun:verb`, pushes are `noun:verbed`; acks are `{ data } | { error }`.
 * Documented with example JSON in docs/protocol.md.
 */

export const PROTOCOL_VERSION = 2;

/**
 * Every enum of the protocol is one `as const` list here; schemas (zod), sets and UI lists derive from
 * it, so adding a value is one edit (plus whatever `Record<…>` the compiler then asks to complete).
 */

/** Agent CLIs panecast recognises in a pane; "other" for anything else. */
export const AGENT_TYPES = ["claude", "codex", "aider", "gemini", "shell", "other"] as const;

export type AgentType = (typeof AGENT_TYPES)[number];

/** Agent states, in the order the UI lists them (most urgent first after "working"). */
export const AGENT_STATES = ["working", "waiting-for-input", "error", "idle", "exited"] as const;

export type AgentState = (typeof AGENT_STATES)[number];

export interface PaneInfo {
  id: string; // "%3"; in a cluster "<node>/%3"
  /** The cluster node the pane lives on (cluster mode only). */
  node?: string;
  index: number;
  sessionId: string; // "$1"
  sessionName: string;
  windowId: string; // "@2"
  windowIndex: number;
  title: string;
  command: string;
  agentType: AgentType;
  /** The pane's `@agent_id` user option, when set. */
  agentId: string | null;
  width: number;
  height: number;
  active: boolean;
  dead: boolean;
  pid: number | null;
  cwd: string;
  /** Other configured user options (`tmux.user_options`), by name without the `@`. */
  options: Record<string, string>;
}

export interface WindowInfo {
  id: string; // "@2"; in a cluster "<node>/@2"
  node?: string;
  index: number;
  name: string;
  active: boolean;
  panes: PaneInfo[];
}

export interface SessionInfo {
  id: string; // "$1"; in a cluster "<node>/$1"
  node?: string;
  /** Cluster mode: the node is unreachable; its panes keep their last screen. */
  offline?: boolean;
  name: string;
  attached: number;
  windows: WindowInfo[];
}

export interface Topology {
  sessions: SessionInfo[];
}

/** How a pane's screen changed, applied to the client's previous frame of that pane. */
export type PaneDelta =
  | { kind: "full"; lines: string[] }
  /** Drop `shift` lines from the top (the screen scrolled), pad or cut to `length`, then set lines. */
  | { kind: "diff"; shift: number; length: number; set: Array<[number, string]> };

export interface PaneUpdate {
  pane: string;
  /** Grows with every change of any pane; a pane's seq only grows. */
  seq: number;
  /** The seq this delta applies to; 0 for a full frame. */
  base: number;
  delta: PaneDelta;
  /** FNV-1a 32 of the resulting frame's lines joined by "\n", so a client can verify its mirror. */
  hash: number;
  width: number;
  height: number;
}

export type TmuxState = "up" | "down";

/**
 * Token roles, least to most powerful (lib/roles.ts ranks them by place). `agent` is for the hook
 * command an agent CLI runs: it may only post signals (POST /api/agent-signals) for panes of its
 * token's sessions, and sees nothing. viewer reads; operator also types to panes; admin also manages
 * tokens.
 */
export const ROLES = ["agent", "viewer", "operator", "admin"] as const;

export type Role = (typeof ROLES)[number];

export interface PrincipalInfo {
  name: string;
  role: Role;
  /** Session globs the token is limited to; null: all. */
  sessions: string[] | null;
}

export interface HelloPayload {
  protocolVersion: number;
  serverVersion: string;
  /** Changes when the server restarts: a client holding another epoch's seqs drops them. */
  epoch: string;
  tmux: TmuxState;
  watchMode: "push" | "poll";
  /** Who this connection is (auth off: the local admin). */
  principal: PrincipalInfo;
  /** Whether tokens are required (false: PANECAST_AUTH=off). */
  authEnabled: boolean;
  /** Patterns (JavaScript regular expressions, case-insensitive) whose lines the pane view highlights. */
  highlight: { error: string[]; warning: string[] };
}

export interface SubscriptionFilter {
  sessions?: string[]; // names or ids
  windows?: string[]; // window ids
  panes?: string[]; // pane ids
}

export interface SubscribeRequest {
  filter?: SubscriptionFilter;
  /** What the client already holds, to resume after a reconnect. */
  have?: { epoch: string; seqs: Record<string, number> };
}

export interface SubscribeResult {
  topology: Topology;
  /** Only the panes whose state differs from `have`: diffs from the replay ring, else full frames. */
  updates: PaneUpdate[];
}

export interface HistoryRequest {
  pane: string;
  lines?: number;
}

export interface HistoryResult {
  pane: string;
  /** Scrollback above the visible screen, oldest first, colours kept. */
  lines: string[];
}

/** Keys `pane:send` accepts, by the names tmux knows them by. Nothing else passes. */
export const SEND_KEYS = ["Escape", "C-c", "C-d", "Up", "Down", "Left", "Right", "Tab", "Enter", "BSpace", "y", "n", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"] as const;

export type SendKey = (typeof SEND_KEYS)[number];

export interface PaneSendRequest {
  pane: string;
  /** Typed literally; several lines go as one bracketed paste. */
  text?: string;
  /** Sent after the text, in order. */
  keys?: SendKey[];
  /** Press Enter once the text is seen on screen. */
  enter?: boolean;
}

export interface PaneSendResult {
  verified: boolean;
  attempts: number;
  keysSent: number;
  enterSent: boolean;
  bytes: number;
}

export interface TokenInfoPayload {
  id: string;
  name: string;
  role: Role;
  sessions: string[] | null;
  createdAt: string;
  expiresAt: string | null;
}

export interface TokenCreateRequest {
  name: string;
  role: Role;
  sessions?: string[];
  /** "30d", "12h", "90m", "2w". */
  expires?: string;
}

export interface ResyncRequest {
  pane: string;
}

/** Where a pane's agent state came from: the agent's own hook events, or its screen. */
export const AGENT_STATE_SOURCES = ["hook", "screen"] as const;

export type AgentStateSource = (typeof AGENT_STATE_SOURCES)[number];

/** Agent CLIs whose hook events `panecast hook <agent>` forwards. */
export const HOOK_AGENTS = ["claude", "codex", "gemini"] as const;

export type HookAgent = (typeof HOOK_AGENTS)[number];

/** The body of POST /api/agent-signals: one hook event, as `panecast hook <agent>` sends it. */
export interface AgentSignal {
  agent: HookAgent;
  /** The pane the agent runs in ($TMUX_PANE, "%3"). */
  pane: string;
  /** The tmux server's socket path (the first field of $TMUX). */
  socket: string;
  /** The hook event: Claude Code's hook_event_name, Gemini CLI's, or Codex's notification type. */
  event: string;
  /** Claude Code Notification's notification_type (permission_prompt, idle_prompt, …). */
  notificationType?: string;
  /** The agent's session id. */
  sessionId?: string;
  /** A short text for the card's tooltip (the notification message, the tool name). */
  detail?: string;
}

export interface AgentStatus {
  pane: string;
  /** Where the state came from; a hook signal outranks the screen until the hooks go quiet. */
  source: AgentStateSource;
  state: AgentState;
  previous: AgentState | null;
  agentType: AgentType;
  /** When it entered this state (ISO 8601). */
  since: string;
  /** The screen line that decided it (a question, an error), when one did. */
  line: string | null;
}

/** Body formats of `alerts.webhooks[].format`. */
export const WEBHOOK_FORMATS = ["generic", "slack", "discord", "ntfy", "template"] as const;

export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** Agent states that can raise an alert, and "critical" (a critical pattern on screen). */
export const ALERT_KINDS = ["waiting-for-input", "error", "exited", "critical"] as const satisfies ReadonlyArray<AgentState | "critical">;

export type AlertKind = (typeof ALERT_KINDS)[number];

export interface PaneAlert {
  id: string;
  kind: AlertKind;
  pane: string;
  session: string;
  window: number;
  agentId: string | null;
  message: string;
  line: string | null;
  at: string;
}

export interface PaneResources {
  /** CPU of the pane's process tree, in % of one core, over the last sample interval. */
  cpu: number;
  rssBytes: number;
  processes: number;
}

export interface HostResources {
  load: [number, number, number];
  cpus: number;
  memTotalBytes: number;
  memAvailableBytes: number;
}

export interface ResourcesPayload {
  at: string;
  host: HostResources;
  panes: Record<string, PaneResources>;
}

export interface GitState {
  root: string;
  branch: string | null;
  upstream: string | null;
  ahead: number;
  behind: number;
  dirty: boolean;
  filesChanged: number;
  linesAdded: number;
  linesRemoved: number;
}

/** The whole fleet as one message (seed 002's `sessions`), also the body of GET /api/sessions. */
export interface SessionsPayload {
  type: "sessions";
  sessions: SessionInfo[];
  /** Agent status by pane id. */
  status: Record<string, AgentStatus>;
  /** Git state by pane id (null: not in a git work tree, or not read yet). */
  git: Record<string, GitState | null>;
}

export const EVENT_SCHEMA_VERSION = 1;

export const FLEET_EVENT_TYPES = [
  "session.created",
  "session.removed",
  "session.renamed",
  "window.added",
  "window.closed",
  "pane.added",
  "pane.removed",
  "agent.status",
  "pane.alert",
] as const;

export type FleetEventType = (typeof FLEET_EVENT_TYPES)[number];

export interface FleetEvent {
  /** `<epoch>:<n>`: ordered within a server run. */
  id: string;
  type: FleetEventType;
  timestamp: string;
  schema: number;
  session: string | null;
  /** Window index within the session. */
  window: number | null;
  windowId: string | null;
  pane: string | null;
  data: Record<string, unknown>;
}

export interface EventsSubscribeRequest {
  types?: FleetEventType[];
  sessions?: string[];
  /** Window ids ("@2"). */
  windows?: string[];
  /** Replay the events after this id (from a previous connection). */
  since?: string;
}

export interface EventsSubscribeResult {
  events: FleetEvent[];
  /** The ring no longer held everything after `since` (or `since` was from another server run). */
  truncated: boolean;
}

export interface TocEntry {
  level: number;
  text: string;
  id: string;
}

/** What reading a document gave; every bad file has its own clear state. */
export type FileProblem =
  | { state: "missing" }
  | { state: "too-large"; size: number; limit: number }
  | { state: "binary" }
  | { state: "unreadable" }
  /** Rendering took longer than `docs.render_timeout_ms` (Markdown built to be slow, e.g. deep nesting). */
  | { state: "too-slow"; limitMs: number }
  /** The renderer gave up on the file (for example nesting deep enough to exhaust its stack). */
  | { state: "render-failed" };

export type MarkdownDoc =
  | { state: "ok"; html: string; raw: string; toc: TocEntry[]; mtimeMs: number; size: number }
  | FileProblem;

export interface HistoryEntry {
  id: string | null;
  timestamp: string | null;
  command: string | null;
  status: string | null;
  assignee: string | null;
  /** Every other field of the entry, as YAML text. */
  details: string;
}

export type HistoryDoc =
  | { state: "ok"; entries: HistoryEntry[]; mtimeMs: number; size: number }
  | { state: "invalid"; message: string; line: number | null }
  | FileProblem;

export type DocPayload =
  | { kind: "markdown"; name: string; path: string; doc: MarkdownDoc }
  | { kind: "history"; name: string; path: string; doc: HistoryDoc };

export interface DocInfo {
  kind: "markdown" | "history";
  name: string;
  path: string;
}

/**
 * The header that carries a browser session's page key on state-changing requests (the socket
 * handshake carries it as `auth.page`); see lib/auth/session-cookie.ts.
 */
export const PAGE_KEY_HEADER = "x-panecast-page";

/** Every error code a client can see. Codes are only ever added (see docs/protocol.md, Versioning). */
export const ERROR_CODES = [
  "BAD_REQUEST",
  "INVALID_TARGET",
  "PANE_NOT_FOUND",
  "SESSION_NOT_FOUND",
  "TMUX_NOT_INSTALLED",
  "TMUX_SERVER_NOT_RUNNING",
  "TMUX_COMMAND_FAILED",
  "TMUX_TIMEOUT",
  "TMUX_BUSY",
  "RATE_LIMITED",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "ORIGIN_REFUSED",
  "HOST_NOT_ALLOWED",
  "TOKEN_ERROR",
  "DOC_NOT_FOUND",
  "NODE_UNAVAILABLE",
  "INTERNAL",
] as const;

/** A cluster node as `GET /api/nodes` lists it. */
export interface NodeInfo {
  name: string;
  online: boolean;
  /** The node's last heartbeat (ISO 8601). */
  lastSeen: string;
  panes: number;
  version: string;
}

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface WireErrorPayload {
  code: ErrorCode;
  message: string;
  /** The event the error answers, when it answers one. */
  event?: string;
  /** For INTERNAL errors: the id of the server log line that explains it. */
  requestId?: string;
}

export type Ack<T> = { data: T } | { error: WireErrorPayload };

/**
 * Everything due for one client at one frame tick, in one message (protocol 2). Every field is
 * optional; a client applies them in this order. Latest wins: at most one update per pane, one status
 * per pane, one payload per document; `topology`, `sessions` and `resources` are the current ones.
 */
export interface Batch {
  /** The tmux server went away or came back. */
  tmux?: TmuxState;
  /** The sessions, windows and panes this client may see, when they changed. */
  topology?: Topology;
  /** Panes this client held that are gone. */
  removed?: string[];
  /** At most one per pane: a delta from the seq the client holds, or a full frame. */
  updates?: PaneUpdate[];
  sessions?: SessionsPayload;
  status?: AgentStatus[];
  alerts?: PaneAlert[];
  resources?: ResourcesPayload;
  /** The event stream (clients that sent `events:subscribe`), in id order. */
  events?: FleetEvent[];
  /** Some events were not sent (the client was behind): ask `events:subscribe` with `since`. */
  eventsMissed?: { since: string | null };
  /** Documents this client subscribed to that changed. */
  docs?: DocPayload[];
}

export interface ServerToClientEvents {
  hello: (p: HelloPayload) => void;
  "server:error": (p: WireErrorPayload) => void;
  /** Every push but `hello` and `server:error`: at most one per client per frame tick. */
  batch: (p: Batch) => void;
}

/** Every request a client may send; anything else is refused as an unknown event. */
export const CLIENT_EVENTS = [
  "subscribe",
  "pane:resync",
  "pane:history",
  "pane:send",
  "topology:get",
  "doc:subscribe",
  "events:subscribe",
  "git:refresh",
  "token:list",
  "token:create",
  "token:revoke",
] as const;

export type ClientEvent = (typeof CLIENT_EVENTS)[number];

/** `CLIENT_EVENTS` and `ClientToServerEvents` name the same requests (a compile error otherwise). */
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const CLIENT_EVENTS_COMPLETE: SameKeys<ClientEvent, keyof ClientToServerEvents> = true;

export interface ClientToServerEvents {
  subscribe: (req: SubscribeRequest, ack: (r: Ack<SubscribeResult>) => void) => void;
  "pane:resync": (req: ResyncRequest, ack: (r: Ack<PaneUpdate>) => void) => void;
  "pane:history": (req: HistoryRequest, ack: (r: Ack<HistoryResult>) => void) => void;
  "topology:get": (req: Record<string, never>, ack: (r: Ack<Topology>) => void) => void;
  "doc:subscribe": (req: { name: string }, ack: (r: Ack<DocPayload>) => void) => void;
  "pane:send": (req: PaneSendRequest, ack: (r: Ack<PaneSendResult>) => void) => void;
  "token:list": (req: Record<string, never>, ack: (r: Ack<TokenInfoPayload[]>) => void) => void;
  "token:create": (req: TokenCreateRequest, ack: (r: Ack<{ token: string; info: TokenInfoPayload }>) => void) => void;
  "token:revoke": (req: { name: string }, ack: (r: Ack<{ revoked: boolean }>) => void) => void;
  "events:subscribe": (req: EventsSubscribeRequest, ack: (r: Ack<EventsSubscribeResult>) => void) => void;
  "git:refresh": (req: Record<string, never>, ack: (r: Ack<{ repositories: number }>) => void) => void;
}
