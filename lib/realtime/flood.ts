import type { Socket } from "socket.io";

/**
 * What keeps one socket from growing the server's memory: a socket over its message rate is answered
 * a few times per window and then ignored; a socket that keeps at it is disconnected; and nothing more
 * is queued to a socket whose transport already holds `maxQueued` packets it has not taken (a client
 * that sends and never reads). Each socket's guard is looked up by the socket, so request handlers can
 * check before they answer without knowing where the guard lives.
 */
export interface FloodOptions {
  /** Refusals answered per window; the rest are dropped without a word. */
  answered: number;
  windowMs: number;
  /** Refused or dropped messages within one window that end the connection. */
  disconnectAfter: number;
  /** Packets waiting in the socket's transport buffer past which nothing more is queued. */
  maxQueued: number;
}

/** Called once, when a socket reaches `disconnectAfter` (io.ts audits and disconnects it). */
export type OnFlood = (count: number) => void;

type AnySocket = Pick<Socket, "conn">;

export class FloodGuard {
  private readonly socket: AnySocket;
  private readonly opts: FloodOptions;
  private windowStart = 0;
  private refusedInWindow = 0;
  private tripped = false;
  private readonly onFlood: OnFlood;

  constructor(socket: AnySocket, opts: FloodOptions, onFlood: OnFlood = () => {}) {
    this.socket = socket;
    this.opts = opts;
    this.onFlood = onFlood;
  }

  /** Whether an answer may be queued now: the client has taken what it was sent so far. */
  mayQueue(): boolean {
    const conn = this.socket.conn as unknown as { writeBuffer?: unknown[] };
    return (conn.writeBuffer?.length ?? 0) < this.opts.maxQueued;
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
