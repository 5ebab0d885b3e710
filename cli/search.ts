import type { SearchResult } from "../lib/protocol.ts";
import { CLIENT_OPTIONS, parseCommand, str, type CommandSpec } from "./args.ts";
import { apiGet } from "./remote.ts";

export const SEARCH: CommandSpec = {
  name: "search",
  usage:
    "usage: panecast search TEXT [--pane P] [--session S] [--agent TYPE] [--state STATE] [--since 2h] [--until …] [--limit N] [--json] [--url URL] [--token TOKEN]\n" +
    "  finds lines any pane printed (the flight recorder), newest first",
  options: {
    ...CLIENT_OPTIONS,
    pane: { type: "string" },
    session: { type: "string" },
    agent: { type: "string" },
    state: { type: "string" },
    since: { type: "string" },
    until: { type: "string" },
    limit: { type: "string" },
    json: { type: "boolean" },
  },
  positionals: { min: 1, max: 100 },
};

/** `panecast search TEXT`: GET /api/search; a table (time, pane, session, line) or --json. */
export async function search(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(SEARCH, argv);
  const q = positionals.join(" ");
  const query = { q, ...Object.fromEntries(["pane", "session", "agent", "state", "since", "until", "limit"].map((k) => [k, str(values, k)])) };
  const res = await apiGet(values, "/api/search", query);
  if (!res) return 1;
  const data = (await res.json()) as SearchResult;
  if (values.json) {
    console.log(JSON.stringify(data, null, 2));
    return 0;
  }
  for (const h of data.hits) console.log(`${new Date(h.at).toISOString()}  ${h.pane.padEnd(6)} ${h.session.padEnd(12)} ${h.line}`);
  if (data.hits.length === 0) console.error("no match");
  if (data.unanswered?.length) console.error(`not searched (no answer in time): ${data.unanswered.join(", ")}`);
  return 0;
}
