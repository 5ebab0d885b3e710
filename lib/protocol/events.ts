/**
 * The Socket.IO event maps and the messages around them: hello, errors, acks, the per-tick batch.
 * Types (and one compile-time check); lib/protocol.ts re-exports them, so imports stay `lib/protocol.ts`.
 */
import type { ClientEvent, ErrorCode, Role } from "./lists.ts";
import type { AgentStatus, NeedsYouPayload, PaneAlert, PaneAnswerRequest, PaneAnswerResult, ResourcesPayload, SessionsPayload } from "./agents.ts";
import type { DocPayload, EventsSubscribeRequest, EventsSubscribeResult, FleetEvent, RecordingFramesRequest, RecordingFramesResult, SearchRequest, SearchResult } from "./documents.ts";
import type { BatchAckRequest, HistoryRequest, HistoryResult, PaneKeysRequest, PaneKeysResult, PaneSendRequest, PaneSendResult, PaneUpdate, ResyncRequest, SubscribeRequest, SubscribeResult, TmuxState, Topology, ViewSetRequest } from "./panes.ts";

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

export interface ServerToClientEvents {
  hello: (p: HelloPayload) => void;
  "server:error": (p: WireErrorPayload) => void;
  /** Every push but `hello` and `server:error`: at most one per client per frame tick. */
  batch: (p: Batch) => void;
}

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

/** `CLIENT_EVENTS` and `ClientToServerEvents` name the same requests (a compile error otherwise). */
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;

export const CLIENT_EVENTS_COMPLETE: SameKeys<ClientEvent, keyof ClientToServerEvents> = true;
