/**
 * Panes on the wire: topology, screen updates, and the requests that read or type to a pane.
 * Types only; lib/protocol.ts re-exports them, so every import stays `lib/protocol.ts`.
 */
import type { AgentType, SendKey } from "./lists.ts";

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

export interface ResyncRequest {
  pane: string;
}

/** Every batch up to number `n` has been applied (no answer). */
export interface BatchAckRequest {
  n: number;
}

/** `view:set`: the panes the client holds but does not show now (off screen); every other pane is shown. */
export interface ViewSetRequest {
  far: string[];
  /**
   * The client shows changes at most this often (ms, 0–1000; a page paints its grid at most every
   * 100 ms): the server sends it batches no closer together, each with the latest of every pane.
   */
  frameMs?: number;
  /**
   * The panes the client shows in full, watched closely (a focused terminal, at most 8): the server
   * reads them at its frame pace while they stream; other streaming panes are read less often
   * (`watch.busy_interval_ms`). Absent: the focus stays as last set (none at first).
   */
  focus?: string[];
}
