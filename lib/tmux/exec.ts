import { execFile } from "node:child_process";
import { TmuxNotInstalled, TmuxTimeout } from "./errors.ts";

/** Which tmux server to talk to: `-L name`, `-S path`, or the default server when neither is set. */
export interface TmuxSocket {
  socketName?: string | undefined;
  socketPath?: string | undefined;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export const TMUX_BIN = process.env.PANECAST_TMUX_BIN ?? "tmux";

/**
 * Process-wide count of tmux processes spawned, in all and by tmux command (the first argument: a
 * handful of names panecast uses), for tests and benchmarks.
 */
export const execStats = { spawned: 0, byCommand: new Map<string, number>() };

export function socketArgs(sock: TmuxSocket): string[] {
  if (sock.socketPath) return ["-S", sock.socketPath];
  if (sock.socketName) return ["-L", sock.socketName];
  return [];
}

/**
 * The environment for tmux children: without TMUX/TMUX_PANE, so that a panecast started inside tmux
 * still talks to the configured server instead of the one it runs in.
 */
export function tmuxEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.TMUX;
  delete env.TMUX_PANE;
  return env;
}

/**
 * Runs one tmux process with an argument array (never a shell). Resolves with the exit code for any
 * run that happened; rejects only when tmux could not run at all or timed out.
 */
export function execTmux(sock: TmuxSocket, args: readonly string[], timeoutMs: number): Promise<ExecResult> {
  execStats.spawned++;
  const name = args[0] ?? "";
  execStats.byCommand.set(name, (execStats.byCommand.get(name) ?? 0) + 1);
  return new Promise((resolve, reject) => {
    execFile(
      TMUX_BIN,
      [...socketArgs(sock), ...args],
      { env: tmuxEnv(), timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: "utf8", windowsHide: true },
      (err, stdout, stderr) => {
        if (!err) return resolve({ stdout, stderr, exitCode: 0 });
        const e = err as NodeJS.ErrnoException & { code?: string | number; killed?: boolean; signal?: string | null };
        if (e.code === "ENOENT") return reject(new TmuxNotInstalled());
        if (e.killed || e.signal === "SIGTERM") return reject(new TmuxTimeout(timeoutMs));
        resolve({ stdout, stderr, exitCode: typeof e.code === "number" ? e.code : 1 });
      },
    );
  });
}
