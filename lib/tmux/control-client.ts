import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { EventEmitter } from "node:events";
import { ControlParser, type ControlEvent } from "./control-parser.ts";
import { execStats, socketArgs, tmuxEnv, TMUX_BIN, type TmuxSocket } from "./exec.ts";
import { endControlClient } from "./end-client.ts";

export interface ControlClientOptions {
  /** Seconds of unread backlog after which tmux pauses a pane (`pause-after`) instead of queueing more. */
  pauseAfterSec?: number;
}

export interface ControlClientEvents {
  event: [ControlEvent];
  /** The client process ended (session killed, server gone, or closed by us). */
  closed: [{ code: number | null; expected: boolean }];
}

/**
 * One `tmux -C attach` client on one session: read-only and ignore-size, so watching never types into
 * or resizes an agent's window; pause-after so a stalled reader makes tmux drop the backlog instead of
 * disconnecting us (TMUX-NOTES). A paused pane is resumed at once and reported as output, so it is
 * captured again.
 */
export class ControlClient extends EventEmitter<ControlClientEvents> {
  readonly sessionId: string;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly parser = new ControlParser();
  private closing = false;
  private exited = false;
  private readonly exitPromise: Promise<void>;

  constructor(socket: TmuxSocket, sessionId: string, opts: ControlClientOptions = {}) {
    super();
    this.sessionId = sessionId;
    const flags = `read-only,ignore-size,pause-after=${opts.pauseAfterSec ?? 5}`;
    execStats.spawned++;
    this.child = spawn(TMUX_BIN, [...socketArgs(socket), "-C", "attach-session", "-t", sessionId, "-f", flags], {
      env: tmuxEnv(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.exitPromise = new Promise((resolve) => {
      this.child.once("close", (code) => {
        this.exited = true;
        this.emit("closed", { code, expected: this.closing });
        resolve();
      });
    });
    this.child.on("error", () => {
      // ENOENT and friends: reported through "close"; never thrown.
    });
    this.child.stdin.on("error", () => {});
    this.child.stdout.on("data", (chunk: Buffer) => {
      for (const ev of this.parser.push(chunk)) {
        if (ev.type === "pause") this.command(`refresh-client -A '${ev.pane}:continue'`);
        this.emit("event", ev);
      }
    });
    this.child.stderr.resume();
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Sends one control-mode command line. Only fixed, internally built commands go through here. */
  private command(line: string): void {
    if (!this.exited && !this.closing && this.child.stdin.writable) this.child.stdin.write(`${line}\n`);
  }

  /**
   * Ends the client the safe way (TMUX-NOTES): close stdin so tmux detaches it, then SIGTERM if it is
   * still there after a grace period. Resolves once the process is gone.
   */
  async close(graceMs = 500): Promise<void> {
    if (this.exited) return;
    this.closing = true;
    await endControlClient(this.child, this.exitPromise, () => this.exited, graceMs);
  }
}
