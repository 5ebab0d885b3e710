import { PanecastError } from "../errors.ts";

export class TmuxNotInstalled extends PanecastError {
  constructor() {
    super("TMUX_NOT_INSTALLED", "tmux is not installed (install it, e.g. apt-get install -y tmux)");
  }
}

export class TmuxServerNotRunning extends PanecastError {
  constructor(detail?: string) {
    super("TMUX_SERVER_NOT_RUNNING", "no tmux server is running on the configured socket", detail);
  }
}

export class SessionNotFound extends PanecastError {
  constructor(detail?: string) {
    super("SESSION_NOT_FOUND", "session not found", detail);
  }
}

export class PaneNotFound extends PanecastError {
  constructor(pane?: string, detail?: string) {
    super("PANE_NOT_FOUND", pane ? `pane ${pane} not found` : "pane not found", detail);
  }
}

export class InvalidTarget extends PanecastError {
  constructor(message: string) {
    super("INVALID_TARGET", message);
  }
}

/** A tmux command failed for another reason; stderr is kept for the log only. */
export class TmuxCommandError extends PanecastError {
  readonly stderr: string;
  readonly exitCode: number | null;
  constructor(stderr: string, exitCode: number | null) {
    super("TMUX_COMMAND_FAILED", "tmux command failed", stderr.trim().slice(0, 2000));
    this.stderr = stderr;
    this.exitCode = exitCode;
  }
}

export class TmuxTimeout extends PanecastError {
  constructor(ms: number) {
    super("TMUX_TIMEOUT", `tmux did not answer within ${ms} ms`);
  }
}

export class TmuxBusy extends PanecastError {
  constructor(limit: number) {
    super("TMUX_BUSY", `too many tmux commands queued (limit ${limit})`);
  }
}

/** Maps a failed tmux run's stderr to the typed error it means. */
export function classifyTmuxFailure(stderr: string, exitCode: number | null): PanecastError {
  const s = stderr.toLowerCase();
  if (s.includes("no server running") || s.includes("error connecting to") || s.includes("server exited")) {
    return new TmuxServerNotRunning(stderr.trim());
  }
  if (s.includes("can't find session") || s.includes("no such session")) return new SessionNotFound(stderr.trim());
  if (s.includes("can't find pane") || s.includes("can't find window")) return new PaneNotFound(undefined, stderr.trim());
  return new TmuxCommandError(stderr, exitCode);
}

/**
 * The control client carrying a command went away before it answered (its session was killed, the
 * server exited, or it timed out and was dropped). Reads are retried over exec; never sent to clients.
 */
export class TmuxChannelLost extends PanecastError {
  constructor(detail?: string) {
    super("TMUX_COMMAND_FAILED", "tmux command channel closed", detail);
  }
}
