/**
 * The event stream, documents (dashboard.md, history) and the flight recorder's frames and search.
 * Types only; lib/protocol.ts re-exports them, so every import stays `lib/protocol.ts`.
 */
import type { AGENT_STATES, ALERT_KINDS, AgentState, AgentType, FleetEventType } from "./lists.ts";
import type { PaneDelta, PaneUpdate } from "./panes.ts";

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
