/**
 * Every enum of the protocol is one `as const` list here (lib/protocol.ts re-exports them); schemas
 * (zod), sets and UI lists derive from it, so adding a value is one edit (plus whatever `Record<…>`
 * the compiler then asks to complete). A leaf: the wire shapes beside it import their enums from here.
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

/**
 * Token roles, least to most powerful (lib/roles.ts ranks them by place). `agent` is for the hook
 * command an agent CLI runs: it may only post signals (POST /api/agent-signals) for panes of its
 * token's sessions, and sees nothing. viewer reads; operator also types to panes; admin also manages
 * tokens.
 */
export const ROLES = ["agent", "viewer", "operator", "admin"] as const;

export type Role = (typeof ROLES)[number];

/** Keys `pane:send` accepts, by the names tmux knows them by. Nothing else passes. */
export const SEND_KEYS = ["Escape", "C-c", "C-d", "Up", "Down", "Left", "Right", "Tab", "Enter", "BSpace", "y", "n", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"] as const;

export type SendKey = (typeof SEND_KEYS)[number];

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

/** Where a pane's agent state came from: the agent's own hook events, or its screen. */
export const AGENT_STATE_SOURCES = ["hook", "screen"] as const;

export type AgentStateSource = (typeof AGENT_STATE_SOURCES)[number];

/** Agent CLIs whose hook events `panecast hook <agent>` forwards. */
export const HOOK_AGENTS = ["claude", "codex", "gemini"] as const;

export type HookAgent = (typeof HOOK_AGENTS)[number];

/** Agent states that make a pane an open needs-you item. */
export const NEEDS_YOU_STATES = ["waiting-for-input", "error"] as const satisfies ReadonlyArray<AgentState>;

export type NeedsYouState = (typeof NEEDS_YOU_STATES)[number];

/** What became of a one-tap answer: the prompt went away (or the state left), or it did not. */
export const ANSWER_OUTCOMES = ["answered", "not-answered"] as const;

export type AnswerOutcome = (typeof ANSWER_OUTCOMES)[number];

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

export type ErrorCode = (typeof ERROR_CODES)[number];

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
