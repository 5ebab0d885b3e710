import { CommandChannel } from "./command-channel.ts";
import { canCarry, type CommandChannelKind } from "./command-line.ts";
import { classifyTmuxFailure, TmuxBusy, TmuxChannelLost } from "./errors.ts";
import { execTmux, type ExecResult, type TmuxSocket } from "./exec.ts";

export interface RuntimeOptions {
  timeoutMs?: number;
  /** Commands waiting at most; one more is refused with TMUX_BUSY. */
  maxQueue?: number;
  /** Default exec: one-shot users (the CLI) gain nothing from a persistent client. */
  channel?: CommandChannelKind;
}

interface Job {
  args: readonly string[];
  key: string | null;
  resolve: (r: ExecResult) => void;
  reject: (e: unknown) => void;
  promise: Promise<ExecResult>;
}

/**
 * The one way panecast reaches tmux (the seed's TmuxRuntime lock): commands run one at a time, in
 * order, from a bounded queue. A read that is identical to one still waiting in the queue shares that
 * job's result. A read already running is not shared: it may have started before the change the
 * caller is reacting to, so sharing it could hand back a stale screen.
 *
 * With the `control` channel, reads travel over one persistent control client (CommandChannel) and
 * spawn nothing; a read whose client is lost before answering runs again as a process, and so does
 * any read while no client can connect. Writes (send-keys, paste) always run as their own process:
 * they are rare, and the command client is read-only.
 */
/** The reads panes are built from (capture, topology, snapshot): what a test fakes in memory. */
export interface TmuxReads {
  raw(args: readonly string[]): Promise<ExecResult>;
}

export class TmuxRuntime implements TmuxReads {
  readonly socket: TmuxSocket;
  private readonly timeoutMs: number;
  private readonly maxQueue: number;
  private readonly queue: Job[] = [];
  private readonly waitingReads = new Map<string, Job>();
  private running = false;
  private closed = false;
  private readonly channel: CommandChannel | null;
  readonly stats = { commands: 0, coalesced: 0, failures: 0, lastLatencyMs: 0, overControl: 0, retriedOverExec: 0 };
  /** Told the latency of every command (metrics). */
  onCommand: ((ms: number, ok: boolean) => void) | null = null;

  constructor(socket: TmuxSocket, opts: RuntimeOptions = {}) {
    this.socket = socket;
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.maxQueue = opts.maxQueue ?? 512;
    this.channel = opts.channel === "control" ? new CommandChannel(socket) : null;
  }

  get channelKind(): CommandChannelKind {
    return this.channel ? "control" : "exec";
  }

  /** The control client's process id while one is connected (tests, benchmarks). */
  get controlPid(): number | undefined {
    return this.channel?.pid;
  }

  get queueDepth(): number {
    return this.queue.length;
  }

  /** Runs a command that reads state; throws the typed error for a non-zero exit. */
  async read(args: readonly string[]): Promise<string> {
    return checked(await this.enqueue(args, true));
  }

  /** Runs a command that changes state (never coalesced); throws the typed error for a non-zero exit. */
  async write(args: readonly string[]): Promise<string> {
    return checked(await this.enqueue(args, false));
  }

  /** Runs a read and hands back the raw result, partial stdout of a failed chain included. */
  raw(args: readonly string[]): Promise<ExecResult> {
    return this.enqueue(args, true);
  }

  /** Refuses further commands and ends the control client; await it before any kill-server (TMUX-NOTES). */
  async close(): Promise<void> {
    this.closed = true;
    await this.channel?.close();
  }

  private enqueue(args: readonly string[], coalesce: boolean): Promise<ExecResult> {
    const key = coalesce ? args.join("\u0000") : null;
    if (key !== null) {
      const waiting = this.waitingReads.get(key);
      if (waiting) {
        this.stats.coalesced++;
        return waiting.promise;
      }
    }
    if (this.queue.length >= this.maxQueue) return Promise.reject(new TmuxBusy(this.maxQueue));
    let resolve!: (r: ExecResult) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<ExecResult>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const job: Job = { args, key, resolve, reject, promise };
    this.queue.push(job);
    if (key !== null) this.waitingReads.set(key, job);
    void this.pump();
    return promise;
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let job = this.queue.shift(); job; job = this.queue.shift()) {
        if (job.key !== null) this.waitingReads.delete(job.key);
        const t0 = performance.now();
        try {
          const r = await this.execute(job);
          if (r.exitCode !== 0) this.stats.failures++;
          job.resolve(r);
        } catch (err) {
          this.stats.failures++;
          job.reject(err);
        } finally {
          this.stats.commands++;
          this.stats.lastLatencyMs = performance.now() - t0;
          this.onCommand?.(this.stats.lastLatencyMs, true);
        }
        if (this.closed) break;
      }
    } finally {
      this.running = false;
    }
    if (this.closed) {
      for (let job = this.queue.shift(); job; job = this.queue.shift()) job.reject(new Error("tmux runtime closed"));
      this.waitingReads.clear();
    }
  }

  private async execute(job: Job): Promise<ExecResult> {
    if (this.channel && job.key !== null && canCarry(job.args)) {
      try {
        const r = await this.channel.run(job.args, this.timeoutMs);
        if (r) {
          this.stats.overControl++;
          return r;
        }
      } catch (err) {
        if (!(err instanceof TmuxChannelLost) || this.closed) throw err;
        this.stats.retriedOverExec++;
      }
    }
    return execTmux(this.socket, job.args, this.timeoutMs);
  }
}

function checked(r: ExecResult): string {
  if (r.exitCode !== 0) throw classifyTmuxFailure(r.stderr, r.exitCode);
  return r.stdout;
}
