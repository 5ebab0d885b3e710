import { homedir } from "node:os";
import path from "node:path";

/** Where panecast keeps its state: the data directory, and the name of every file in it. */

/**
 * The data directory, the one place state lives: the configured one (--data-dir, PANECAST_DATA_DIR,
 * data_dir), else the token file's directory when only auth.tokens_path is set, else $XDG_STATE_HOME/panecast, else ~/.local/state/panecast. Never the working directory,
 * so a start from anywhere finds the same tokens.
 */
export function resolveDataDir(configured: string | null, env: Record<string, string | undefined>, cwd: string, tokensPath: string | null = null): string {
  if (configured) return path.resolve(cwd, configured);
  // A token file set on its own (auth.tokens_path, as before data_dir existed): the state lives beside it.
  if (tokensPath) return path.dirname(path.resolve(cwd, tokensPath));
  const xdg = env.XDG_STATE_HOME;
  // The XDG spec ignores a relative XDG_STATE_HOME.
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, "panecast");
  return path.join(env.HOME || homedir(), ".local", "state", "panecast");
}

/** The files panecast keeps in its data directory. */
export const STATE_FILES = [
  "tokens.json",
  "session.key",
  "sessions.json",
  "audit.jsonl",
  "vapid.json",
  "push-subscriptions.json",
  "needs-you.json",
  "agent-hook.json",
  "hook.log",
  "web",
  "recordings",
] as const;
export type StateFile = (typeof STATE_FILES)[number];

/**
 * A state file's path: every file panecast keeps (tokens, session key and table, audit log, VAPID keys,
 * push subscriptions, the hook's token and log, the web UI copy) derives from here. `panecast hook`
 * (cli/hook.mjs, plain JS for start-up speed) gets the directory on its command line and joins the
 * same names itself.
 */
export function statePath(dataDir: string, name: StateFile): string {
  return path.join(dataDir, name);
}
