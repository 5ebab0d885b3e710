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

type AnySocket = Pick<Socket, "conn">;

export class FloodGuard {
  private readonly socket: AnySocket;
  private readonly opts: FloodOptions;
  private windowStart = 0;
  private refusedInWindow = 0;
  private tripped = false;

  constructor(socket: AnySocket, opts: FloodOptions) {
    this.socket = socket;
    this.opts = opts;
  }

  /** Whether an answer may be queued now: the client has taken what it was sent so far. */
  mayQueue(): boolean {
    const conn = this.socket.conn as unknown as { writeBuffer?: unknown[] };
    return (conn.writeBuffer?.length ?? 0) < this.opts.maxQueued;
  }

  /**
   * Counts a refused message. Returns what to do with it: "answer" (one of the first few in the
   * window, and there is room to queue it), "drop", or "disconnect" (once, when the window's count
   * reaches `disconnectAfter`).
   */
  refuse(now = Date.now()): "answer" | "drop" | "disconnect" {
    if (now - this.windowStart >= this.opts.windowMs) {
      this.windowStart = now;
      this.refusedInWindow = 0;
    }
    this.refusedInWindow++;
    if (this.refusedInWindow >= this.opts.disconnectAfter && !this.tripped) {
      this.tripped = true;
      return "disconnect";
    }
    return this.refusedInWindow <= this.opts.answered && this.mayQueue() ? "answer" : "drop";
  }

  /** Refused messages in the current window (for the audit line). */
  get count(): number {
    return this.refusedInWindow;
  }
}

const guards = new WeakMap<object, FloodGuard>();

export function guard(socket: AnySocket, opts: FloodOptions): FloodGuard {
  const g = new FloodGuard(socket, opts);
  guards.set(socket, g);
  return g;
}

/** Whether an answer may be queued to this socket (true for a socket without a guard). */
export function mayQueue(socket: object): boolean {
  return guards.get(socket)?.mayQueue() ?? true;
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
