/**
 * The panecast client, for Node and the browser (`import { PanecastClient } from "panecast/client"`).
 * Typed from lib/protocol.ts; keeps a mirror of every pane's screen (applies diffs, resyncs on gaps)
 * and of the topology; reconnects with backoff and resumes where it left off; and offers the event
 * stream as an async iterator. The dashboard itself runs on the same FleetConnection.
 */
import type { Ack, ErrorCode, EventsSubscribeRequest, FleetEvent, PaneSendRequest, PaneSendResult, RecordingFramesRequest, RecordingFramesResult, SearchRequest, SearchResult, SubscriptionFilter } from "../protocol.ts";
import { FleetConnection, type ConnectionOptions, type ConnectionStatus } from "./connection.ts";
import { FleetMirror } from "./mirror.ts";

export type { ConnectionStatus } from "./connection.ts";
export { FleetConnection } from "./connection.ts";
export { FleetMirror, type MirroredPane } from "./mirror.ts";
export { FleetState } from "./fleet-state.ts";
export { unpackBatch, type BatchItem, type BatchItems } from "./batch.ts";
export * from "../protocol.ts";

export interface ClientOptions {
  /** The server, e.g. http://127.0.0.1:3000 or https://host/panecast (its path is the base path). */
  url: string;
  token?: string;
  filter?: SubscriptionFilter;
  events?: Omit<EventsSubscribeRequest, "since">;
  transports?: Array<"websocket" | "polling">;
  backoff?: ConnectionOptions["backoff"];
}

/** A server's error code, or UNREACHABLE when the client found no server to ask. */
export type ClientErrorCode = ErrorCode | "UNREACHABLE";

export class PanecastError extends Error {
  readonly code: ClientErrorCode;
  constructor(code: ClientErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export class PanecastClient {
  readonly connection: FleetConnection;
  private readonly waiters = new Set<{ filter: EventsSubscribeRequest | undefined; push: (e: FleetEvent) => void }>();

  constructor(opts: ClientOptions) {
    const u = new URL(opts.url);
    this.connection = new FleetConnection(new FleetMirror(), {
      url: u.origin,
      basePath: u.pathname.replace(/\/$/, ""),
      ...(opts.token ? { token: opts.token } : {}),
      ...(opts.filter ? { filter: opts.filter } : {}),
      ...(opts.events ? { events: opts.events } : {}),
      transports: opts.transports ?? ["websocket", "polling"],
      ...(opts.backoff ? { backoff: opts.backoff } : {}),
    });
    this.connection.onEvent((e) => {
      for (const w of this.waiters) w.push(e);
    });
  }

  get mirror(): FleetMirror {
    return this.connection.mirror;
  }

  get status(): ConnectionStatus {
    return this.connection.status;
  }

  /**
   * Connects and resolves once the first subscription is in (topology and every screen held).
   * Rejects with a PanecastError: UNAUTHORIZED (bad token), UNREACHABLE (nothing answers at the URL).
   */
  async connect(): Promise<void> {
    this.connection.start();
    await new Promise<void>((resolve, reject) => {
      const off = this.connection.onStatus(() => {
        const s = this.connection.status;
        if (s.state === "live") {
          off();
          resolve();
        } else if (s.unauthorized) {
          off();
          this.connection.stop();
          reject(new PanecastError("UNAUTHORIZED", "the server refused the token"));
        } else if (s.lastError && s.attempt >= 1 && s.state !== "connecting") {
          off();
          this.connection.stop();
          reject(new PanecastError("UNREACHABLE", `cannot reach the server: ${s.lastError}`));
        }
      });
    });
  }

  /** Keeps retrying after the first connection (the default); call after connect() resolved. */
  close(): void {
    this.connection.stop();
    for (const w of this.waiters) w.push(END);
    this.waiters.clear();
  }

  send(req: PaneSendRequest): Promise<PaneSendResult> {
    return this.connection.send(req).then((r) => {
      if ("error" in r) throw new PanecastError(r.error.code, r.error.message);
      return r.data;
    });
  }

  /** A page of a pane's recorded history: from a seq or a time, the first step whole, then deltas. */
  recordingFrames(req: RecordingFramesRequest): Promise<RecordingFramesResult> {
    return this.connection.recordingFrames(req).then(unwrap);
  }

  /** Full-text search over what panes printed, within the token's sessions. */
  search(req: SearchRequest): Promise<SearchResult> {
    return this.connection.search(req).then(unwrap);
  }

  /** The event stream from now on (the events the connection subscribed to), as an async iterator. */
  async *events(maxQueued = 10_000): AsyncGenerator<FleetEvent> {
    const queue: FleetEvent[] = [];
    let wake: (() => void) | null = null;
    const waiter = {
      filter: undefined,
      push: (e: FleetEvent) => {
        if (queue.length >= maxQueued) queue.shift();
        queue.push(e);
        wake?.();
      },
    };
    this.waiters.add(waiter);
    try {
      for (;;) {
        while (queue.length === 0) await new Promise<void>((r) => (wake = r));
        wake = null;
        const e = queue.shift()!;
        if (e === END) return;
        yield e;
      }
    } finally {
      this.waiters.delete(waiter);
    }
  }
}

const END = { id: "end" } as FleetEvent;

function unwrap<T>(r: Ack<T>): T {
  if ("error" in r) throw new PanecastError(r.error.code, r.error.message);
  return r.data;
}
