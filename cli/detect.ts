import { loadConfig } from "../lib/config.ts";
import { compileRules } from "../lib/agents/rules/index.ts";
import { detectStatus, type Detected } from "../lib/agents/status.ts";
import { AGENT_TYPES, type AgentType } from "../lib/protocol.ts";
import { isAgentType } from "../lib/topology.ts";
import { CONFIG_OPTIONS, configArgv, parseCommand, str, UsageError, type CommandSpec } from "./args.ts";

const USAGE = `usage: panecast detect [--agent TYPE] [--json] [--config PATH] < screen
  reads a captured screen (tmux capture-pane -p [-e]; colours allowed) on stdin and prints the state,
  the error reason and the line that decided it, with the server's rules and agents.rules from the
  config. Without --agent, every agent CLI's rules are tried and the first that decides wins.
  TYPE: ${AGENT_TYPES.join(", ")}`;

export const DETECT: CommandSpec = {
  name: "detect",
  usage: USAGE,
  options: { ...CONFIG_OPTIONS, agent: { type: "string" }, json: { type: "boolean" } },
};

/** The most of a screen read: far more than any terminal shows. */
const MAX_STDIN = 1024 * 1024;

/** `panecast detect`: the server's screen reading, on a screen from stdin, without a server. */
export async function detect(argv: string[], stdin: NodeJS.ReadableStream = process.stdin): Promise<number> {
  const { values } = parseCommand(DETECT, argv);
  const others = Object.fromEntries(Object.entries(values).filter(([k]) => k !== "agent" && k !== "json"));
  const json = values.json === true;
  const wanted = str(values, "agent");
  if (wanted !== undefined && !(AGENT_TYPES as readonly string[]).includes(wanted)) throw new UsageError(`unknown agent type '${wanted}'`, USAGE);
  const config = loadConfig({ argv: configArgv(others) });
  const rules = compileRules(config.agents.rules);
  const text = await readAll(stdin);
  const lines = text.replace(/\r\n/g, "\n").replace(/\n$/, "").split("\n");
  const read = (type: AgentType): Detected => detectStatus({ agentType: type, lines, dead: false, atShell: false, recentlyActive: false }, rules, config.agents.tail_lines);
  let type: AgentType = (wanted as AgentType | undefined) ?? "other";
  let got = read(type);
  if (wanted === undefined) {
    for (const t of [...AGENT_TYPES.filter(isAgentType), "shell" as const]) {
      const d = read(t);
      if (d.decisive) {
        type = t;
        got = d;
        break;
      }
    }
  }
  const out = { agent: type, state: got.state, reason: got.reason ?? null, reset_at: got.resetAt ?? null, line: got.line, decisive: got.decisive, typing: got.typing ?? false };
  if (json) console.log(JSON.stringify(out));
  else {
    console.log(`agent:  ${out.agent}`);
    console.log(`state:  ${out.state}${out.typing ? " (typing)" : ""}${out.decisive ? "" : " (no rule matched: from activity)"}`);
    if (out.reason) console.log(`reason: ${out.reason}${out.reset_at ? ` (resets ${out.reset_at})` : ""}`);
    console.log(`line:   ${out.line ?? "-"}`);
  }
  return 0;
}

function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on("data", (c: Buffer | string) => {
      const b = typeof c === "string" ? Buffer.from(c) : c;
      if (size >= MAX_STDIN) return;
      chunks.push(b.subarray(0, MAX_STDIN - size));
      size += b.length;
    });
    stream.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    stream.on("error", reject);
  });
}
