import type { Socket } from "socket.io";

/**
 * What keeps one socket from growing the server's memory: a socket over its message rate is answered
 * a few times per window and then ignored; a socket that keeps at it is disconnected; and nothing more
 * is queued to a socket whose transport already holds `maxQueued` packets or `maxQueuedBytes` bytes it
 * has not taken (a client that sends and never reads). A large answer is queued only if it fits under
 * the socket's byte bound and under its token's (the sum over that token's sockets), so many quiet
 * sockets of one token cannot add up to what one may not hold. Each socket's guard is looked up by the
 * socket, so request handlers can check before they answer without knowing where the guard lives.
 */
export interface FloodOptions {
  /** Refusals answered per window; the rest are dropped without a word. */
  answered: number;
  windowMs: number;
  /** Refused or dropped messages within one window that end the connection. */
  disconnectAfter: number;
  /** Packets waiting in the socket's transport buffer past which nothing more is queued. */
  maxQueued: number;
  /** Bytes the client has not taken past which nothing more is queued to the socket. */
  maxQueuedBytes: number;
  /** The same bound for all the sockets of one token together. */
  maxQueuedBytesPerToken: number;
}

/** Called once, when a socket reaches `disconnectAfter` (io.ts audits and disconnects it). */
export type OnFlood = (count: number) => void;

type AnySocket = Pick<Socket, "conn">;

/**
 * What a socket holds that its client has not taken: the packets waiting in engine.io's buffer (all of
 * them, for a long-polling client that stopped asking), plus what the WebSocket was handed and could
 * not yet pass to the kernel. Engine.io has no public figure for either; this is the one place that reads them.
 */
export function backlog(socket: AnySocket): { packets: number; bytes: number } {
  const conn = socket.conn as unknown as { writeBuffer?: Array<{ data?: unknown }>; transport?: { socket?: { bufferedAmount?: unknown } } };
  const waiting = conn.writeBuffer ?? [];
  let bytes = 0;
  for (const p of waiting) bytes += sizeOf(p.data);
  const wire = conn.transport?.socket?.bufferedAmount;
  return { packets: waiting.length, bytes: bytes + (typeof wire === "number" ? wire : 0) };
}

/** The packets waiting in engine.io's buffer alone (the hub's backpressure counts them each tick). */
export function queuedPackets(socket: AnySocket): number {
  return ((socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer ?? []).length;
}

function sizeOf(data: unknown): number {
  if (typeof data === "string") return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

/** The guards of each token's live sockets, for the per-token byte bound. */
const byToken = new Map<string, Set<FloodGuard>>();

/** Bytes queued to all the live sockets of one token that their clients have not taken. */
export function tokenBacklogBytes(tokenId: string): number {
  let n = 0;
  for (const g of byToken.get(tokenId) ?? []) n += g.backlogBytes();
  return n;
}

export class FloodGuard {
  private readonly socket: AnySocket;
  private readonly opts: FloodOptions;
  private windowStart = 0;
  private refusedInWindow = 0;
  private tripped = false;
  private tokenId: string | null = null;
  private claimed = 0;
  /** Requests let run whose answers are not yet queued: each holds a packet's place. */
  private answering = 0;
  private readonly onFlood: OnFlood;

  constructor(socket: AnySocket, opts: FloodOptions, onFlood: OnFlood = () => {}) {
    this.socket = socket;
    this.opts = opts;
    this.onFlood = onFlood;
  }

  /** Whether a small answer may be queued now: the client has taken enough of what it was sent. */
  mayQueue(): boolean {
    const b = backlog(this.socket);
    return b.packets + this.answering < this.opts.maxQueued && b.bytes < this.opts.maxQueuedBytes;
  }

  /**
   * Lets a request run if its answer may be queued, holding a packet's place for the answer until
   * `answered`: a burst read at once cannot run more requests than the client has room for.
   */
  beginAnswer(): boolean {
    if (!this.mayQueue()) return false;
    this.answering++;
    return true;
  }

  answered(): void {
    if (this.answering > 0) this.answering--;
  }

  /**
   * Whether an answer of `bytes` fits: under the socket's packet and byte bounds, and under its
   * token's byte bound with everything the token's other sockets hold.
   */
  fits(bytes: number): boolean {
    const b = backlog(this.socket);
    if (b.packets >= this.opts.maxQueued || this.claimed + b.bytes + bytes > this.opts.maxQueuedBytes) return false;
    return this.tokenId === null || tokenBacklogBytes(this.tokenId) + bytes <= this.opts.maxQueuedBytesPerToken;
  }

  /**
   * `fits`, and if so counts the bytes as queued until the answer has reached the socket's buffer (it
   * is written a few promise steps later, and other sockets' answers finished in the same turn must
   * see it).
   */
  claim(bytes: number): boolean {
    if (!this.fits(bytes)) return false;
    this.claimed += bytes;
    setImmediate(() => (this.claimed -= bytes));
    return true;
  }

  backlogBytes(): number {
    return this.claimed + backlog(this.socket).bytes;
  }

  /** Counts the socket under its token until `release`. */
  joinToken(tokenId: string): void {
    this.tokenId = tokenId;
    let set = byToken.get(tokenId);
    if (!set) byToken.set(tokenId, (set = new Set()));
    set.add(this);
  }

  release(): void {
    if (this.tokenId === null) return;
    const set = byToken.get(this.tokenId);
    set?.delete(this);
    if (set?.size === 0) byToken.delete(this.tokenId);
    this.tokenId = null;
  }

  /**
   * Counts a refused message (over a rate, or an answer that could not be queued). Returns whether to
   * answer it: only the first few in the window, and only with room to queue. When the window's count
   * reaches `disconnectAfter`, `onFlood` runs (once).
   */
  refuse(now = Date.now()): "answer" | "drop" {
    if (now - this.windowStart >= this.opts.windowMs) {
      this.windowStart = now;
      this.refusedInWindow = 0;
    }
    this.refusedInWindow++;
    if (this.refusedInWindow >= this.opts.disconnectAfter && !this.tripped) {
      this.tripped = true;
      this.onFlood(this.refusedInWindow);
      return "drop";
    }
    return this.refusedInWindow <= this.opts.answered && this.mayQueue() ? "answer" : "drop";
  }

  /** Refused messages in the current window. */
  get count(): number {
    return this.refusedInWindow;
  }
}

const guards = new WeakMap<object, FloodGuard>();

export function guard(socket: AnySocket, opts: FloodOptions, onFlood?: OnFlood): FloodGuard {
  const g = new FloodGuard(socket, opts, onFlood);
  guards.set(socket, g);
  return g;
}

/**
 * Whether an answer of `bytes` may be queued to this socket now (true for a socket without a guard),
 * counted as queued from here. A handler that is told no answers with a coded refusal instead, which is small.
 */
export function claim(socket: object, bytes: number): boolean {
  return guards.get(socket)?.claim(bytes) ?? true;
}

/**
 * Whether a request may run: its answer may be queued, and is counted as on its way until `answered`
 * (true for a socket without a guard). One that may not is dropped, and counts towards the flood limit.
 */
export function beginAnswer(socket: object): boolean {
  const g = guards.get(socket);
  if (!g || g.beginAnswer()) return true;
  g.refuse();
  return false;
}

/** The answer of a request let run by `beginAnswer` is being queued now. */
export function answered(socket: object): void {
  guards.get(socket)?.answered();
}

/**
 * Whether an answer may be queued to this socket (true for a socket without a guard). An answer that
 * may not is dropped, and counts towards the socket's flood limit.
 */
export function mayQueue(socket: object): boolean {
  const g = guards.get(socket);
  if (!g || g.mayQueue()) return true;
  g.refuse();
  return false;
}

/**
 * Engine.io connections per client address, counted from the handshake: a connection that never
 * authenticates holds memory too, so it counts against `limits.max_connections_per_ip` like any other.
 */
export class ConnectionCounter {
  private readonly perIp = new Map<string, number>();

  count(ip: string): number {
    return this.perIp.get(ip) ?? 0;
  }

  /** Counts a connection until `onClose` fires. */
  track(ip: string, onClose: (cb: () => void) => void): void {
    this.perIp.set(ip, this.count(ip) + 1);
    onClose(() => {
      const n = this.count(ip) - 1;
      if (n <= 0) this.perIp.delete(ip);
      else this.perIp.set(ip, n);
    });
  }
}
