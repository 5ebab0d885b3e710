/**
 * A prompt script run as an agent CLI would be: its process is named `claude` (bash's `exec -a`), so
 * panecast types the pane from its process as it does a real Claude Code and reads agent states from
 * its screen. Run as plain `bash script`, the pane would be a non-agent one: running or quiet, never
 * waiting for input.
 */
export function agentArgv(script: string, agent = "claude"): string[] {
  return ["bash", "-c", 'exec -a "$0" bash "$1"', agent, script];
}

/** The same as one command line, for `tmux new-session` or typing into a shell (paths without spaces). */
export function agentCommand(script: string, agent = "claude"): string {
  return `bash -c 'exec -a "$0" bash "$1"' ${agent} ${script}`;
}
