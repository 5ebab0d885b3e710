import type { ChildProcess } from "node:child_process";

/**
 * Ends a control-mode client the safe way (../shared/TMUX-NOTES.md): close its stdin so tmux detaches
 * it, SIGTERM if it is still there after `graceMs`, SIGKILL 1.5 s later. Resolves once `exited` does.
 */
export async function endControlClient(child: ChildProcess, exited: Promise<void>, isExited: () => boolean, graceMs: number): Promise<void> {
  child.stdin?.end();
  const soft = setTimeout(() => {
    if (!isExited()) child.kill("SIGTERM");
  }, graceMs);
  const hard = setTimeout(() => {
    if (!isExited()) child.kill("SIGKILL");
  }, graceMs + 1500);
  await exited;
  clearTimeout(soft);
  clearTimeout(hard);
}
