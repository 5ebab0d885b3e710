import path from "node:path";
import { STATE_FILES, statePath, type Config } from "../config.ts";

/** Settings files by name: never served wherever they sit (they hold webhook headers, the Redis password). */
export const SETTINGS_NAMES = ["panecast.yaml", "panecast.yml"] as const;

/**
 * What documents must never serve: panecast's data directory (tokens, session key and table, VAPID
 * keys, push subscriptions, the hook's token…) and the token file's directory, the secret files and
 * the settings file read, wherever they are configured to live, and any file named like a settings file.
 */
export function secretPaths(config: Config): { dirs: string[]; files: string[]; names: readonly string[] } {
  const tokens = path.resolve(config.auth.tokens_path);
  const audit = path.resolve(config.audit.path);
  const dataDir = path.resolve(config.data_dir);
  const dirs = [dataDir, path.dirname(tokens)].filter((d, i, all) => all.indexOf(d) === i);
  return {
    dirs,
    files: [tokens, audit, `${audit}.1`, ...STATE_FILES.map((name) => statePath(dataDir, name)), ...(config.config_file ? [config.config_file] : [])],
    names: SETTINGS_NAMES,
  };
}
