import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { EventEmitter } from "node:events";
import { canCarry, commandCount, toCommandLine } from "./command-line.ts";
import { classifyTmuxFailure, TmuxChannelLost, TmuxCommandError, TmuxTimeout } from "./errors.ts";
import { execStats, socketArgs, tmuxEnv, TMUX_BIN, type ExecResult, type TmuxSocket } from "./exec.ts";
import { ReplyParser, type Reply } from "./reply-parser.ts";
import { endControlClient } from "./end-client.ts";

/**
 * The flags of the command client (tmux >= 3.2): `no-output` so tmux sends it no pane output at all,
 * `read-only` and `ignore-size` so it can never type into or resize an agent's window.
 */
export const COMMAND_CLIENT_FLAGS = "no-output,read-only,ignore-size";

interface Pending {
  expected: number;
  received: number;
  stdout: string;
  truncated: boolean;
  resolve: (r: ExecResult) => void;
  reject: (e: unknown) => void;
  timer: NodeJS.Timeout;
}

export interface CommandClientEvents {
  /** The process ended; `expected` when close() asked for it. */
  closed: [{ expected: boolean }];
}

/**
 * One persistent `tmux -C attach` client used only for its command channel: panecast's reads run as
 * lines on its stdin and come back as `%begin`/`%end` blocks, so a read costs no process. It attaches
 * to whichever session tmux picks (a control client cannot exist without one); when that session dies
 * the client exits and its owner (CommandChannel) connects a new one.
 */
export class CommandClient extends EventEmitter<CommandClientEvents> {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly parser = new ReplyParser();
  private readonly pending: Pending[] = [];
  private readonly exitPromise: Promise<void>;
  private readyResolve!: () => void;
  private readyReject!: (e: unknown) => void;
  /** Resolves once tmux answered the attach; rejects when the client could not attach. */
  readonly ready: Promise<void>;
  private isReady = false;
  private exited = false;
  private closing = false;
  private stderr = "";
  private attachError = "";

  constructor(socket: TmuxSocket) {
    super();
    this.ready = new Promise((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
    this.ready.catch(() => {});
    execStats.spawned++;
    this.child = spawn(TMUX_BIN, [...socketArgs(socket), "-C", "attach-session", "-f", COMMAND_CLIENT_FLAGS], {
      env: tmuxEnv(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    // tmux hands the client's stdin and stdout to the server, which may hold them a little longer
    // than the client process lives: the process's exit is the end of the channel, and "close" (all
    // pipes done) the end of the client.
    this.child.once("exit", () => {
      this.exited = true;
      this.failAll(new TmuxChannelLost("control client exited"));
    });
    this.exitPromise = new Promise((resolve) => {
      this.child.once("close", () => {
        this.exited = true;
        this.failAll(new TmuxChannelLost("control client exited"));
        if (!this.isReady) this.readyReject(classifyTmuxFailure(this.attachError || this.stderr || "server exited", 1));
        this.emit("closed", { expected: this.closing });
        resolve();
      });
    });
    this.child.on("error", () => {
      // ENOENT and friends end in "close" too.
    });
    this.child.stdin.on("error", () => {});
    this.child.stdout.on("data", (chunk: Buffer) => {
      for (const r of this.parser.push(chunk)) this.onReply(r);
    });
    this.child.stderr.on("data", (chunk: Buffer) => {
      if (this.stderr.length < 4096) this.stderr += chunk.toString("utf8");
    });
  }

  get alive(): boolean {
    return !this.exited && !this.closing;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Runs a command (or a `;`-chained list) and resolves like execTmux would: stdout of the commands
   * that ran, and for a failure the error text as stderr with exit code 1 (tmux skips the rest of a
   * chain after a failing command, as it does for exec). Rejects with TmuxChannelLost when the client
   * dies first, TmuxTimeout when tmux does not answer in time (the client is then dropped, since a
   * late answer would be taken for the next command's).
   */
  run(args: readonly string[], timeoutMs: number): Promise<ExecResult> {
    if (!this.alive || !this.isReady) return Promise.reject(new TmuxChannelLost("control client not connected"));
    if (!canCarry(args)) return Promise.reject(new TmuxCommandError("argument cannot go over the control channel", null));
    const line = toCommandLine(args);
    return new Promise<ExecResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.pending.indexOf(p);
        if (i !== -1) this.pending.splice(i, 1);
        reject(new TmuxTimeout(timeoutMs));
        void this.close(0);
      }, timeoutMs);
      const p: Pending = { expected: commandCount(args), received: 0, stdout: "", truncated: false, resolve, reject, timer };
      this.pending.push(p);
      this.child.stdin.write(`${line}\n`);
    });
  }

  /** Ends the client the safe way (TMUX-NOTES): close stdin, then SIGTERM after a grace period. */
  async close(graceMs = 300): Promise<void> {
    if (this.exited) return;
    this.closing = true;
    this.failAll(new TmuxChannelLost("control client closed"));
    await endControlClient(this.child, this.exitPromise, () => this.exited, graceMs);
  }

  private onReply(r: Reply): void {
    if (r.type === "exit" || this.exited) return;
    if (!this.isReady) {
      // The first block not sent by us answers the attach itself.
      if (r.fromClient) return;
      if (r.ok) {
        this.isReady = true;
        this.readyResolve();
      } else {
        this.attachError = r.body;
      }
      return;
    }
    // Blocks tmux runs for us without being asked (hooks) are not answers.
    if (!r.fromClient) return;
    const p = this.pending[0];
    if (!p) return;
    p.received++;
    if (r.ok) p.stdout += r.body;
    p.truncated ||= r.truncated;
    if (r.ok && p.received < p.expected) return;
    this.pending.shift();
    clearTimeout(p.timer);
    if (p.truncated) return p.reject(new TmuxCommandError("tmux reply too large", null));
    p.resolve({ stdout: p.stdout, stderr: r.ok ? "" : r.body, exitCode: r.ok ? 0 : 1 });
  }

  private failAll(err: Error): void {
    for (let p = this.pending.shift(); p; p = this.pending.shift()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
  }
}
