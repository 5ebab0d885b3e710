import type { Batch, NeedsYouPayload, PaneUpdate, ResourcesPayload, SessionsPayload, TmuxState, Topology } from "../protocol.ts";

/** One connected client as the hub sees it; lib/realtime adapts a Socket.IO socket to it. */
export interface ClientPort {
  readonly id: string;
  /** Packets written for this client and not yet taken by its connection. */
  buffered(): number;
  onDrain(cb: () => void): void;
}

/** Sends one batch to every listed client, encoding it once. */
export interface Fanout {
  send(ids: readonly string[], batch: Batch): void;
}

export interface PaneSourceEvents {
  update: [PaneUpdate];
  removed: [string];
  topology: [Topology];
  state: [TmuxState];
}

/** The one pane source as the hub uses it (the node view, or its merge with the other nodes' panes): current frames and topology, and its four events. */
export interface PaneSource {
  readonly topology: Topology;
  readonly state: TmuxState;
  fullUpdate(id: string): PaneUpdate | null;
  on<K extends keyof PaneSourceEvents>(event: K, cb: (...args: PaneSourceEvents[K]) => void): unknown;
}

/** The current value of the topics sent whole (latest wins): the sessions push and the resources sample. */
export interface TopicSource {
  sessions(visible: ((session: string) => boolean) | null): SessionsPayload;
  resources(): ResourcesPayload | null;
  /** The needs-you queue, limited to the sessions `visible` allows. */
  needsYou(visible: ((session: string) => boolean) | null): NeedsYouPayload;
}

/**
 * What a client may see: null for everything, else the sessions its token is limited to. `key` names
 * the limit: two clients with the same key see exactly the same, so they may share an encoded batch.
 */
export type View = { key: string; sees(session: string): boolean } | null;

export interface HubOptions {
  /** A client with more packets than this waiting is skipped until it drains; it then gets the current state. */
  maxBufferedPackets: number;
  /**
   * Batches a client that acknowledges them (`batch:ack`) may have unacknowledged; past it, it is
   * skipped until it acknowledges. Bytes queued in socket buffers are invisible to the transport
   * bound, so this is what keeps a slow reader from being seconds behind on stale batches.
   */
  maxUnackedBatches: number;
  replayPerPane: number;
  /** Batches go out at most once per this many ms. */
  frameMs: number;
  /**
   * Panes a client shows off screen (`view:set`) get their screen at most once per this many ms,
   * latest wins (0: as any other). Optional: the full rate when absent.
   */
  farIntervalMs?: number;
  epoch: string;
}
