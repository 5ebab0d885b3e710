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

  async kill(): Promise<void> {
    await this.tmux("kill-server").catch(() => {});
  }
}

/** Resolves when `check` returns a truthy value; polls an observable condition, with a deadline. */
export async function until<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
