import { announce, bootServer, installShutdown } from "../lib/boot.ts";
import { loadConfig } from "../lib/config.ts";
import { openDataDir } from "../lib/data-dir.ts";
import { CONFIG_OPTIONS, configArgv, parseCommand, type CommandSpec } from "./args.ts";

export const START: CommandSpec = {
  name: "start",
  usage: "usage: panecast start [--config PATH] [--data-dir DIR] [--host HOST] [--port N] [--base-path /PATH] [-L NAME | -S PATH] [--sessions A,B] [--dev] …\n(panecast help lists every settings flag)",
  options: { ...CONFIG_OPTIONS, dev: { type: "boolean" } },
};

/** `panecast start`: the prebuilt web UI (copied into the data directory for the base path) and the server. */
export async function start(argv: string[]): Promise<number> {
  const { values } = parseCommand(START, argv);
  const config = loadConfig({ argv: configArgv(values) });
  for (const line of openDataDir(config.data_dir)) console.error(line);
  const { app, url } = await bootServer(config, { dev: values.dev === true });
  installShutdown(app);
  announce(app, url);
  return 0;
}
