/**
 * What the agent layer sends: states, alerts, the needs-you queue, resources, git and the sessions push.
 * Types only; lib/protocol.ts re-exports them, so every import stays `lib/protocol.ts`.
 */
import type { AgentState, AgentStateSource, AgentType, AlertKind, AnswerOutcome, ErrorReason, HookAgent, NeedsYouState, SendKey } from "./lists.ts";
import type { SessionInfo } from "./panes.ts";

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

/** A cluster node as `GET /api/nodes` lists it. */
export interface NodeInfo {
  name: string;
  online: boolean;
  /** The node's last heartbeat (ISO 8601). */
  lastSeen: string;
  panes: number;
  version: string;
}
