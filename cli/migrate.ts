import path from "node:path";
import { loadConfig } from "../lib/config.ts";
import { migrateLegacy, openDataDir } from "../lib/data-dir.ts";
import { CONFIG_OPTIONS, configArgv, parseCommand, type CommandSpec } from "./args.ts";
import { plural } from "../lib/plural.ts";

export const MIGRATE: CommandSpec = {
  name: "migrate",
  usage: "usage: panecast migrate [--data-dir DIR]   (moves ./.panecast/ of an older panecast into the data directory, saying what moves)",
  options: CONFIG_OPTIONS,
};

/**
 * `panecast migrate`: the only way state of an older version (`./.panecast/`) enters the data
 * directory. It moves only your own regular files with a panecast state file's name, and prints each.
 */
export async function migrate(argv: string[]): Promise<number> {
  const { values } = parseCommand(MIGRATE, argv);
  const config = loadConfig({ argv: configArgv(values) });
  const legacy = path.join(process.cwd(), ".panecast");
  for (const line of openDataDir(config.data_dir).filter((l) => !l.includes("panecast migrate"))) console.error(line);
  const r = migrateLegacy(legacy, config.data_dir);
  for (const name of r.moved) console.log(`moved ${path.join(legacy, name)} -> ${path.join(config.data_dir, name)}`);
  for (const { name, why } of r.refused) console.error(`left ${path.join(legacy, name)}: ${why}`);
  if (r.moved.length === 0 && r.refused.length === 0) console.log(`nothing to move: no ${legacy}`);
  else console.log(`${plural(r.moved.length, "file")} moved, ${r.refused.length} left`);
  return r.refused.length > 0 ? 1 : 0;
}
