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

/**
 * Agent CLIs panecast recognises in a pane, from its foreground process (argv), not its title;
 * "shell" for a shell at its prompt, "other" for any other program (a build, `top`, an editor).
 */
export const AGENT_TYPES = ["claude", "codex", "aider", "gemini", "opencode", "copilot", "qwen", "cline", "crush", "shell", "other"] as const;

export type AgentType = (typeof AGENT_TYPES)[number];

/**
 * States of a pane whose foreground program is not an agent (a shell's build loop, `top`): it prints
 * (`running`) or it has been still for a while (`quiet`). Never an alert, never an agent state.
 */
export const PROCESS_STATES = ["running", "quiet"] as const;

export type ProcessState = (typeof PROCESS_STATES)[number];

/**
 * Every state a pane's status can hold, in the order the UI lists them (most urgent first after
 * "working"): the agent states, then the non-agent ones (PROCESS_STATES), then `offline`: the pane's
 * cluster node is unreachable, so its state is unknown (never its last one).
 */
export const AGENT_STATES = ["working", "waiting-for-input", "error", "idle", "exited", ...PROCESS_STATES, "offline"] as const;

export type AgentState = (typeof AGENT_STATES)[number];

/**
 * Why an agent is in `error`: bad credentials, a rate limit (with `resetAt` when the agent shows
 * it), the provider overloaded (529), the model unknown or not allowed, another server error (5xx),
 * the agent process crashed, or a reason the agent did not say.
 */
export const ERROR_REASONS = ["auth", "rate-limit", "overloaded", "model-unavailable", "server", "crashed", "unknown"] as const;

export type ErrorReason = (typeof ERROR_REASONS)[number];

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
  /**
   * Required (true) for text with a line break: a paste is bracketed only when the program asked for
   * bracketed paste, so elsewhere each line may run as it arrives, Enter or not.
   */
  multiline?: boolean;
}

export interface PaneSendResult {
  verified: boolean;
  attempts: number;
  keysSent: number;
  enterSent: boolean;
  bytes: number;
}

/**
 * Named keys keyboard mode may send (`pane:keys`), by tmux's names: BTab is Shift-Tab, PPage/NPage
 * are Page Up/Down, IC/DC Insert/Delete. A key may carry modifiers (`C-`, `M-`, `S-`, at most one
 * each), and a single printable ASCII character may stand in for a name (`C-r`, `M-x`). Nothing else
 * passes (lib/protocol/messages.ts holds the grammar).
 */
export const TERMINAL_KEYS = [
  "Enter", "Escape", "Tab", "BTab", "BSpace", "Space", "Up", "Down", "Left", "Right", "Home", "End", "PPage", "NPage", "IC", "DC",
  "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "F11", "F12",
] as const;

export type TerminalKey = (typeof TERMINAL_KEYS)[number];

/** One step of keyboard input: a tmux key, printable text typed as is, or a bracketed paste. */
export type TerminalInput = { key: string } | { text: string } | { paste: string };

export interface PaneKeysRequest {
  pane: string;
  /** In order; consecutive keys go to tmux in one call. */
  input: TerminalInput[];
}

export interface PaneKeysResult {
  /** Steps sent (all of them: a batch is refused whole or sent whole). */
  sent: number;
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

/** Every batch up to number `n` has been applied (no answer). */
export interface BatchAckRequest {
  n: number;
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
  /** StopFailure: the error's kind and text (`error`, `error_details`, `last_assistant_message`), to tell its reason. */
  error?: string;
  /** Codex: the turn is the CLI's own title-generation turn, not the person's (ignored). */
  internal?: boolean;
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
  /** state "error": why, when known. */
  reason?: ErrorReason;
  /** reason "rate-limit": when the limit resets, as the agent showed it (ISO 8601 when it gave a time). */
  resetAt?: string;
}

/** Agent states that make a pane an open needs-you item. */
export const NEEDS_YOU_STATES = ["waiting-for-input", "error"] as const satisfies ReadonlyArray<AgentState>;

export type NeedsYouState = (typeof NEEDS_YOU_STATES)[number];

/** What became of a one-tap answer: the prompt went away (or the state left), or it did not. */
export const ANSWER_OUTCOMES = ["answered", "not-answered"] as const;

export type AnswerOutcome = (typeof ANSWER_OUTCOMES)[number];

/** One answer a waiting screen offers, and the tmux keys that choose it. */
export interface AnswerChoice {
  label: string;
  keys: SendKey[];
}

/**
 * A pane that needs a person: waiting for input or failed. Open while the pane stays in that state,
 * whoever answers (even from tmux itself); then resolved.
 */
export interface NeedsYouItem {
  id: string;
  pane: string;
  node?: string;
  session: string;
  /** Window index within the session. */
  window: number;
  state: NeedsYouState;
  agentType: AgentType;
  agentId: string | null;
  /** When the pane entered the state (ISO 8601). */
  since: string;
  /** The question or error line. */
  line: string | null;
  /** Why it failed (an agent status reason), when known. */
  reason?: string;
  /** The answers the screen offers (empty: none recognised). */
  choices: AnswerChoice[];
  /** Names the prompt on screen: a `pane:answer` for another one is refused with STALE_PROMPT. */
  promptHash: string | null;
  /** The last one-tap answer to it. */
  answer?: { outcome: AnswerOutcome; label: string; by: string; at: string };
  /** When the pane left the state (resolved items only). */
  resolvedAt?: string;
  /** In a cluster: the pane's node is offline, so the item cannot be answered until it is back. */
  offline?: boolean;
}

/** The needs-you queue as a client sees it: open items oldest first, recent resolved ones newest first. */
export interface NeedsYouPayload {
  open: NeedsYouItem[];
  resolved: NeedsYouItem[];
}

export interface PaneAnswerRequest {
  pane: string;
  itemId: string;
  /** The index of the choice in the item's `choices`. */
  choice: number;
  promptHash: string;
}

export interface PaneAnswerResult {
  outcome: AnswerOutcome;
  label: string;
  keys: SendKey[];
}

/** Body formats of `alerts.webhooks[].format`. */
export const WEBHOOK_FORMATS = ["generic", "slack", "discord", "ntfy", "template"] as const;

export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/**
 * Agent states that can raise an alert, "critical" (a critical pattern on screen) and "node-offline"
 * (a cluster node stopped answering; the alert names one of its panes, or none when it has none).
 */
export const ALERT_KINDS = ["waiting-for-input", "error", "exited", "critical", "node-offline"] as const satisfies ReadonlyArray<AgentState | "critical" | "node-offline">;

export type AlertKind = (typeof ALERT_KINDS)[number];

/**
 * What a mute names: one pane (by id, a browser's choice only: ids change when tmux restarts), a
 * glob over session and window names (`build-*`, `infra:*`), or an agent type. Muted panes raise no
 * push or webhook (`notify.mute`, server-side) or no sound, toast or notification in a browser that
 * muted them, leave the counts and sort last.
 */
export const MUTE_KINDS = ["pane", "pattern", "type"] as const;

export type MuteKind = (typeof MUTE_KINDS)[number];

export type MuteRule = { kind: "pane"; pane: string } | { kind: "pattern"; pattern: string } | { kind: "type"; type: AgentType };

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
  "pane.activity",
  "node.offline",
  "node.online",
] as const;

export type FleetEventType = (typeof FLEET_EVENT_TYPES)[number];

/**
 * Event types a subscriber gets only when it names them in `types`: `pane.activity` is a non-agent
 * pane turning running/quiet, which would drown the agents' events on a busy fleet.
 */
export const OPT_IN_EVENT_TYPES = ["pane.activity"] as const satisfies readonly FleetEventType[];

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
  /** A one-tap answer for a prompt the screen no longer shows. */
  "STALE_PROMPT",
  "RECORDING_OFF",
  "RECORDING_NOT_FOUND",
  "INTERNAL",
  /** A message over `hub.max_message_bytes`, or a subscribe with more seqs than `watch.max_panes`. */
  "MESSAGE_TOO_LARGE",
  /** Text with a line break sent without `multiline: true`: its lines may run as they arrive. */
  "MULTILINE_NOT_CONFIRMED",
] as const;

/**
 * `recording:frames`: a page of a pane's recorded history, from a seq or a time (ms since the epoch),
 * up to `until` (ms). The first step is the whole screen at the start; the rest are deltas, each applied
 * to the screen before it, as in `PaneUpdate`. `next` starts the following page (null: the end).
 */
export interface RecordingFramesRequest {
  pane: string;
  seq?: number;
  at?: number;
  until?: number;
  limit?: number;
  /** Also answer the outline of [at, until] (a timeline): every frame's seq and time, the state changes and alerts. */
  outline?: boolean;
}

export interface RecordingMark {
  seq: number;
  at: number;
  /** An agent state the pane entered (`AGENT_STATES`, or a state a later version adds). */
  state?: string;
  /** An alert raised (`ALERT_KINDS`). */
  alert?: string;
  /** The screen line behind it (the question, the error). */
  line: string | null;
}

export interface RecordingOutline {
  /** `[seq, at]` of every recorded frame in the range (the newest `limit` of them). */
  frames: Array<[number, number]>;
  marks: RecordingMark[];
  /** The state at the start of the range ("" when not known). */
  startState: string;
  /** Lines that appeared or changed on screen in the range (what the agent printed). */
  printed: number;
}

export interface RecordedStepPayload {
  seq: number;
  /** When it was on screen (ms since the epoch). */
  at: number;
  width: number;
  height: number;
  delta: PaneDelta;
}

export interface RecordingFramesResult {
  pane: string;
  session: string;
  agentType: string;
  steps: RecordedStepPayload[];
  next: { seq: number; at: number } | null;
  outline?: RecordingOutline;
}

/** `search`: full text over what panes printed; every term must match (the last one as a prefix). */
export interface SearchRequest {
  text: string;
  panes?: string[];
  sessions?: string[];
  agentTypes?: AgentType[];
  states?: AgentState[];
  since?: number;
  until?: number;
  limit?: number;
}

export interface SearchHitPayload {
  pane: string;
  session: string;
  agentType: string;
  /** The agent's state when the line appeared ("" when not known: indexed from disk at start-up). */
  state: string;
  at: number;
  seq: number;
  line: string;
  /** The lines around it on that screen, when known. */
  context?: string[];
}

export interface SearchResult {
  hits: SearchHitPayload[];
  /** In a cluster: nodes that were offline or did not answer within `cluster.search_timeout_ms` (their hits are missing). */
  unanswered?: string[];
}

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
  /** The batch's number, rising: a client that answers `batch:ack` with it gets flow control. */
  n?: number;
  /** The needs-you queue, whole, when it changed (and in the first batch). */
  needsYou?: NeedsYouPayload;
}

/** `view:set`: the panes the client holds but does not show now (off screen); every other pane is shown. */
export interface ViewSetRequest {
  far: string[];
  /**
   * The client shows changes at most this often (ms, 0–1000; a page paints its grid at most every
   * 100 ms): the server sends it batches no closer together, each with the latest of every pane.
   */
  frameMs?: number;
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
  "pane:answer",
  "pane:keys",
  "topology:get",
  "doc:subscribe",
  "events:subscribe",
  "git:refresh",
  "batch:ack",
  "view:set",
  "token:list",
  "token:create",
  "token:revoke",
  "recording:frames",
  "search",
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
  "pane:answer": (req: PaneAnswerRequest, ack: (r: Ack<PaneAnswerResult>) => void) => void;
  "pane:keys": (req: PaneKeysRequest, ack: (r: Ack<PaneKeysResult>) => void) => void;
  "token:list": (req: Record<string, never>, ack: (r: Ack<TokenInfoPayload[]>) => void) => void;
  "token:create": (req: TokenCreateRequest, ack: (r: Ack<{ token: string; info: TokenInfoPayload }>) => void) => void;
  "token:revoke": (req: { name: string }, ack: (r: Ack<{ revoked: boolean }>) => void) => void;
  "events:subscribe": (req: EventsSubscribeRequest, ack: (r: Ack<EventsSubscribeResult>) => void) => void;
  "git:refresh": (req: Record<string, never>, ack: (r: Ack<{ repositories: number }>) => void) => void;
  "batch:ack": (req: BatchAckRequest) => void;
  /** The panes this client shows off screen: the server may send their screens less often. No answer. */
  "view:set": (req: ViewSetRequest) => void;
  "recording:frames": (req: RecordingFramesRequest, ack: (r: Ack<RecordingFramesResult>) => void) => void;
  search: (req: SearchRequest, ack: (r: Ack<SearchResult>) => void) => void;
}
