import { loadConfig } from "../lib/config.ts";
import { build, ensureBuild } from "../lib/web/build.ts";

/** `panecast start`: build the UI when needed, then boot server.ts with the same arguments. */
export async function start(argv: string[]): Promise<number> {
  const config = loadConfig({ argv, allowFlags: ["--dev"] });
  if (!argv.includes("--dev")) await ensureBuild(config.server.base_path);
  process.argv = [process.argv[0]!, "server.ts", ...argv];
  await import("../server.ts");
  return 0;
}

/** `panecast build`: build the UI for the configured base path. */
export async function buildOnly(argv: string[]): Promise<number> {
  const config = loadConfig({ argv });
  await build(config.server.base_path);
  return 0;
}
