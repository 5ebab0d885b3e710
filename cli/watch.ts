import type { PanecastClient } from "../lib/client/index.ts";
import { FLEET_EVENT_TYPES as TYPES, type AgentState, type FleetEventType } from "../lib/protocol.ts";
import { stripAnsi } from "../lib/ansi.ts";
import { CLIENT_OPTIONS, list, parseCommand, str, UsageError, type CommandSpec } from "./args.ts";
import { connectClient } from "./remote.ts";

export const WATCH: CommandSpec = {
  name: "watch",
  usage: "usage: panecast watch [--json] [--sessions A,B] [--type T1,T2] [--url URL] [--token TOKEN]",
  options: { ...CLIENT_OPTIONS, json: { type: "boolean" }, sessions: { type: "string" }, type: { type: "string" } },
};

const COLOR: Record<AgentState, string> = { working: "\x1b[36m", idle: "\x1b[2m", "waiting-for-input": "\x1b[33;1m", error: "\x1b[31;1m", exited: "\x1b[90m", running: "\x1b[36;2m", quiet: "\x1b[90m", offline: "\x1b[35m" };

/**
 * `panecast watch`: follow the fleet from a terminal. `--json` prints one JSON event per line;
 * otherwise a live table of agents and their states. `--sessions a,b` and `--type t1,t2` filter.
 */
export async function watch(argv: string[]): Promise<number> {
  const { values } = parseCommand(WATCH, argv);
  const sessions = list(str(values, "sessions"));
  const types = list(str(values, "type")) as FleetEventType[] | undefined;
  const bad = types?.find((t) => !TYPES.includes(t));
  if (bad) throw new UsageError(`--type ${bad}: expected one of ${TYPES.join(", ")}`, WATCH.usage);
  const json = values.json === true;
  const client = await connectClient(values, {
    ...(sessions ? { filter: { sessions } } : {}),
    events: { ...(types ? { types } : {}), ...(sessions ? { sessions } : {}) },
  });
  if (!client) return 1;
  // Ends on Ctrl-C, or when the server stops taking the token (revoked or expired): one line, exit 1.
  const refused = new Promise<string>((resolve) => {
    const off = client.connection.onStatus(() => {
      if (!client.status.unauthorized) return;
      off();
      resolve(client.status.lastError ?? "token refused");
    });
  });
  const stop = Promise.race([
    new Promise<null>((resolve) => {
      process.once("SIGINT", () => resolve(null));
      process.once("SIGTERM", () => resolve(null));
    }),
    refused,
  ]);
  const end = (why: string | null): number => {
    if (why === null) return 0;
    console.error(`panecast watch: the server no longer takes this token (${why}); it was revoked or has expired`);
    return 1;
  };
  if (json) {
    const pump = (async () => {
      for await (const e of client.events()) process.stdout.write(`${JSON.stringify(e)}\n`);
    })();
    const why = await stop;
    client.close();
    await pump;
    return end(why);
  }
  const tty = process.stdout.isTTY === true;
  let last = "";
  const draw = () => {
    const text = table(client);
    if (text === last) return;
    last = text;
    process.stdout.write(tty ? `\x1b[H\x1b[2J${text}\n` : `${text}\n\n`);
  };
  const timer = setInterval(draw, 250);
  draw();
  const why = await stop;
  clearInterval(timer);
  client.close();
  return end(why);
}

function table(client: PanecastClient): string {
  const { mirror } = client;
  const state = client.connection.state;
  const color = process.stdout.isTTY === true;
  const rows: string[][] = [["AGENT", "PANE", "TARGET", "TYPE", "STATE", "SINCE", "LAST"]];
  const states: AgentState[] = [];
  for (const s of mirror.topology.sessions) {
    for (const w of s.windows) {
      for (const p of w.panes) {
        const st = state.status[p.id];
        if (st) states.push(st.state);
        const lastLine = stripAnsi(mirror.pane(p.id)?.lines.filter((l) => stripAnsi(l).trim() !== "").at(-1) ?? "").trim();
        rows.push([p.agentId ?? "-", p.id, `${s.name}:${w.index}.${p.index}`, p.agentType, st ? (st.source === "hook" ? `${st.state} (hook)` : st.state) : "?", st ? new Date(st.since).toLocaleTimeString() : "", (st?.line ?? lastLine).slice(0, 60)]);
      }
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r, j) =>
    r
      .map((c, i) => {
        const cell = i === r.length - 1 ? c : c.padEnd(widths[i]!);
        return color && j > 0 && i === 4 && c in COLOR ? `${COLOR[c as AgentState]}${cell}\x1b[0m` : cell;
      })
      .join("  "),
  );
  const counts = new Map<string, number>();
  for (const s of states) counts.set(s, (counts.get(s) ?? 0) + 1);
  const summary = [...counts].map(([s, n]) => `${n} ${s}`).join(" · ") || "no agents";
  const status = client.status.state === "live" ? "live" : `${client.status.state}…`;
  return [`panecast · ${status} · ${summary}`, "", ...lines].join("\n");
}
