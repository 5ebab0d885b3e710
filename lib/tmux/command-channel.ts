import { CommandClient } from "./command-client.ts";
import type { ExecResult, TmuxSocket } from "./exec.ts";

export interface CommandChannelOptions {
  /** Wait after a failed connect or a lost client, doubled per failure up to retryMaxMs. */
  retryMinMs?: number;
  retryMaxMs?: number;
}

/**
 * Keeps one CommandClient connected, on demand. `client()` hands back the connected client, or null
 * while none can be had (no server, no session, or waiting out the backoff after a failure): the
 * runtime then runs that command as its own process. Nothing is spawned while no command is asked
 * for, and a lost client is replaced at the next command after the backoff. The first wait after a
 * loss also keeps the reconnect away from the session churn that caused it: tmux 3.3a has been seen
 * to crash when a control client attaches while a session is being created (see ChangeFeed.settleMs).
 */
export class CommandChannel {
  private readonly socket: TmuxSocket;
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;
  private current: CommandClient | null = null;
  private connecting: Promise<CommandClient | null> | null = null;
  private retryMs: number;
  private notBefore = 0;
  private closed = false;
  readonly stats = { connects: 0, failedConnects: 0, lost: 0 };

  constructor(socket: TmuxSocket, opts: CommandChannelOptions = {}) {
    this.socket = socket;
    this.retryMinMs = opts.retryMinMs ?? 250;
    this.retryMaxMs = Math.max(this.retryMinMs, opts.retryMaxMs ?? 5000);
    this.retryMs = this.retryMinMs;
  }

  /** The process id of the connected client, if any (tests, benchmarks). */
  get pid(): number | undefined {
    return this.current?.alive ? this.current.pid : undefined;
  }

  get connected(): boolean {
    return this.current?.alive === true;
  }

  client(): Promise<CommandClient | null> {
    if (this.closed) return Promise.resolve(null);
    if (this.current?.alive) return Promise.resolve(this.current);
    if (this.connecting) return this.connecting;
    if (performance.now() < this.notBefore) return Promise.resolve(null);
    this.connecting = this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  /** Runs over the control client; null when there is none (the caller runs it as a process). */
  async run(args: readonly string[], timeoutMs: number): Promise<ExecResult | null> {
    const c = await this.client();
    return c ? c.run(args, timeoutMs) : null;
  }

  /** Ends the client (before any kill-server, see TMUX-NOTES); the channel stays closed. */
  async close(): Promise<void> {
    this.closed = true;
    await this.connecting?.catch(() => null);
    const c = this.current;
    this.current = null;
    await c?.close();
  }

  private async connect(): Promise<CommandClient | null> {
    this.stats.connects++;
    const c = new CommandClient(this.socket);
    try {
      await c.ready;
    } catch {
      this.stats.failedConnects++;
      this.backoff();
      return null;
    }
    if (this.closed) {
      await c.close();
      return null;
    }
    this.retryMs = this.retryMinMs;
    this.current = c;
    c.once("closed", ({ expected }) => {
      if (this.current === c) this.current = null;
      if (!expected) {
        this.stats.lost++;
        this.notBefore = performance.now() + this.retryMinMs;
      }
    });
    return c;
  }

  private backoff(): void {
    this.notBefore = performance.now() + this.retryMs;
    this.retryMs = Math.min(this.retryMaxMs, this.retryMs * 2);
  }
}
