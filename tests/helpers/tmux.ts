import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * A real tmux server on a private socket (`tmux -L pc-test-…`), never the user's default one.
 * Stop every panecast watching it before `kill()` (control clients first, see TMUX-NOTES).
 */
export class TestTmux {
  readonly socketName = `pc-test-${process.pid}-${randomBytes(4).toString("hex")}`;

  async tmux(...args: string[]): Promise<string> {
    const env = { ...process.env };
    delete env.TMUX;
    delete env.TMUX_PANE;
    const { stdout } = await run("tmux", ["-L", this.socketName, ...args], { env });
    return stdout;
  }

  /** A new detached session running `command` (a quiet shell by default); returns its first pane id. */
  async newSession(name: string, opts: { command?: string; width?: number; height?: number } = {}): Promise<string> {
    const args = ["new-session", "-d", "-s", name, "-x", String(opts.width ?? 80), "-y", String(opts.height ?? 24), "-P", "-F", "#{pane_id}"];
    if (opts.command) args.push(opts.command);
    else args.push("env", "PS1=$ ", "bash", "--norc", "--noprofile");
    const out = await this.tmux(...args);
    // Keep panes of exited commands so tests can read their last screen.
    await this.tmux("set-option", "-g", "remain-on-exit", "off");
    return out.trim();
  }

  async split(target: string, command?: string): Promise<string> {
    const args = ["split-window", "-d", "-t", target, "-P", "-F", "#{pane_id}"];
    if (command) args.push(command);
    else args.push("env", "PS1=$ ", "bash", "--norc", "--noprofile");
    return (await this.tmux(...args)).trim();
  }

  async type(pane: string, text: string): Promise<void> {
    await this.tmux("send-keys", "-t", pane, "-l", text);
    await this.tmux("send-keys", "-t", pane, "Enter");
  }

  async capture(pane: string): Promise<string> {
    return this.tmux("capture-pane", "-p", "-t", pane);
  }

  /**
   * Ends the clients still attached (a panecast killed with SIGKILL leaves its control clients
   * behind), then the server: killing a server under a control client with unread output can leave
   * a half-dead server and an orphan `tmux -C` (TMUX-NOTES). The clients are this test's own.
   */
  async kill(): Promise<void> {
    const listed = await this.tmux("list-clients", "-F", "#{client_pid}").catch(() => "");
    const pids = listed.split("\n").map(Number).filter((pid) => pid > 0);
    for (const pid of pids) signal(pid, "SIGTERM");
    await until(() => pids.every((pid) => !signal(pid, 0)), "the tmux clients to exit", 5000).catch(() => {
      for (const pid of pids) signal(pid, "SIGKILL");
    });
    await this.tmux("kill-server").catch(() => {});
  }
}

/** Sends `sig` to `pid`; false when there is no such process (0 only asks whether it exists). */
function signal(pid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

let names = 0;

/**
 * `base` with a suffix no earlier call in this process had: a test that makes sessions on a tmux
 * server shared by its file gets new names on a retry, never the first try's (`duplicate session`).
 */
export function freshName(base: string): string {
  return `${base}-${(++names).toString(36)}`;
}

/**
 * Resolves when `check` returns a truthy value; polls an observable condition, with a deadline. The
 * deadline is how long to wait before calling it a failure, never a measure of speed: by default it
 * leaves a loaded machine (CI runs the integration suite beside a CPU hog) most of the test's 60 s.
 */
export async function until<T>(check: () => T | Promise<T>, what: string, timeoutMs = 40_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
