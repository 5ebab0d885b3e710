import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { EventEmitter } from "node:events";
import { toCommandLine } from "./command-line.ts";
import { ControlParser, paneNotices, type ControlEvent } from "./control-parser.ts";
import { execStats, socketArgs, tmuxEnv, TMUX_BIN, type TmuxSocket } from "./exec.ts";
import { endControlClient } from "./end-client.ts";
import { isPaneId } from "./target.ts";

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
 * captured again, unless panecast itself holds that pane's output back (`hold`).
 */
export class ControlClient extends EventEmitter<ControlClientEvents> {
  readonly sessionId: string;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly parser = new ControlParser();
  /** Panes whose output panecast asked tmux to hold back (bounded: tmux's panes; `release` drops one). */
  private readonly held = new Set<string>();
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
      for (const ev of this.parser.push(chunk)) this.take(ev);
    });
    this.child.stderr.resume();
  }

  private take(ev: ControlEvent): void {
    // This client sends only `refresh-client -A`: its replies carry the %pause/%continue they caused.
    if (ev.type === "reply") for (const notice of paneNotices(ev.lines)) this.take(notice);
    if (ev.type === "pause" && !this.held.has(ev.pane)) this.command(toCommandLine(["refresh-client", "-A", `${ev.pane}:continue`]));
    this.emit("event", ev);
  }

  get alive(): boolean {
    return !this.exited;
  }

  /**
   * Asks tmux to stop sending this pane's output to this client (it sends `%pause %ID`), until
   * `release`. It is `pause`, not `off`: tmux 3.3a's `off` leaves output already queued for the pane
   * in place and reads it later from a buffer that has moved on, which crashed the tmux server here
   * within seconds of toggling under output (fixed in tmux 3.7); `pause` drops that output first,
   * as tmux does itself for `pause-after`.
   */
  hold(pane: string): void {
    if (this.held.has(pane) || !isPaneId(pane)) return;
    this.held.add(pane);
    this.command(toCommandLine(["refresh-client", "-A", `${pane}:pause`]));
  }

  /** Lets a held pane's output flow again (tmux sends `%continue %ID`); a no-op for a pane not held. */
  release(pane: string): void {
    if (!this.held.delete(pane)) return;
    this.command(toCommandLine(["refresh-client", "-A", `${pane}:continue`]));
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
