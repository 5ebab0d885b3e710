import { CLIENT_OPTIONS, parseCommand, str, UsageError, type CommandSpec } from "./args.ts";
import { apiGet } from "./remote.ts";

export const RECORD: CommandSpec = {
  name: "record",
  usage:
    "usage: panecast record export PANE [--since 10m|ISO|ms] [--until …] [--format cast|json] [--url URL] [--token TOKEN] > pane.cast\n" +
    "  writes a pane's recorded screens as an asciicast v2 file (plays in asciinema's player)",
  options: { ...CLIENT_OPTIONS, since: { type: "string" }, until: { type: "string" }, format: { type: "string" } },
  positionals: { min: 2, max: 2 },
};

/** `panecast record export PANE`: the recording through GET /api/recordings/:pane, on stdout. */
export async function record(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(RECORD, argv);
  const [verb, pane] = positionals as [string, string];
  if (verb !== "export") throw new UsageError(`unknown subcommand '${verb}' (expected export)`, RECORD.usage);
  const format = str(values, "format") ?? "cast";
  if (format !== "cast" && format !== "json") throw new UsageError(`--format ${format}: expected cast or json`, RECORD.usage);
  const res = await apiGet(values, `/api/recordings/${encodeURIComponent(pane)}`, { since: str(values, "since"), until: str(values, "until"), format });
  if (!res) return 1;
  process.stdout.write(await res.text());
  return 0;
}
