import { ConfigError } from "../lib/config.ts";
import { DataDirError } from "../lib/data-dir.ts";
import { SessionKeyError } from "../lib/auth/session-key.ts";
import { TokenError } from "../lib/auth/tokens.ts";
import { UiMissing } from "../lib/web/ui.ts";
import { VERSION } from "../lib/version.ts";
import { HelpRequested, UsageError } from "./args.ts";

/** A command: a one-line summary for `panecast help`, and its module's entry point (loaded on use). */
interface Command {
  summary: string;
  run: () => Promise<(argv: string[]) => Promise<number>>;
}

/** Every command. Adding one is one entry here and one file exporting a CommandSpec and a runner. */
const COMMANDS: Record<string, Command> = {
  start: { summary: "serve the dashboard on http://127.0.0.1:3000", run: async () => (await import("./start.ts")).start },
  demo: { summary: "start demo agents on a private tmux server (-L panecast-demo) and serve them", run: async () => (await import("./demo.ts")).demo },
  "demo-cluster": {
    summary: "two demo fleets on two tmux servers, one Redis, nodes alpha and beta, one URL",
    run: async () => (await import("./demo-cluster.ts")).demoCluster,
  },
  status: { summary: "list sessions, windows and panes with their agent types", run: async () => (await import("./status.ts")).status },
  token: { summary: "create, list or revoke access tokens; rotate-key ends every login session", run: async () => (await import("./token.ts")).token },
  watch: { summary: "follow the fleet: a live table of agents, or one JSON event per line", run: async () => (await import("./watch.ts")).watch },
  send: { summary: "type to an agent (operator token)", run: async () => (await import("./send.ts")).send },
  "login-link": { summary: "a one-time sign-in link (and --qr code) for a phone", run: async () => (await import("./login-link.ts")).loginLink },
  search: { summary: "find lines any agent printed (the flight recorder)", run: async () => (await import("./search.ts")).search },
  record: { summary: "export a pane's recorded screens: record export PANE --since 10m > pane.cast", run: async () => (await import("./record.ts")).record },
  hooks: { summary: "install or uninstall the hooks that let claude, codex or gemini report their own state", run: async () => (await import("./hooks.ts")).hooks },
  migrate: { summary: "move ./.panecast/ of an older panecast into the data directory, saying what moves", run: async () => (await import("./migrate.ts")).migrate },
  detect: { summary: "print the agent state, error reason and deciding line of a captured screen on stdin", run: async () => (await import("./detect.ts")).detect },
  doctor: { summary: "check tmux, the data directory, the config, the server at its URL and the web UI build", run: async () => (await import("./doctor.ts")).doctor },
};

const HELP = `panecast ${VERSION}: a live web dashboard for AI coding agents in tmux

usage: panecast <command> [options]     panecast <command> --help for a command's options

commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`)
  .join("\n")}
  hook     what an agent CLI runs on each event (set up by 'panecast hooks install'; always exits 0)

settings flags (start, demo, status, token, hooks, migrate, detect, doctor):
  --config PATH         settings file (default ./panecast.yaml when present; env PANECAST_CONFIG)
  --data-dir DIR        where state lives (default: the --tokens file's directory when only that is set,
                        else $XDG_STATE_HOME/panecast or ~/.local/state/panecast; env PANECAST_DATA_DIR)
  --host HOST           bind address (default 127.0.0.1; env PANECAST_HOST)
  --port N              port (default 3000; env PANECAST_PORT)
  --base-path /PATH     serve under a path prefix (env PANECAST_BASE_PATH)
  -L, --socket-name N   tmux socket name (env PANECAST_TMUX_SOCKET_NAME)
  -S, --socket-path P   tmux socket path (env PANECAST_TMUX_SOCKET_PATH)
  --sessions A,B        session names or globs to watch (default all)
  --watch-mode M        push (control mode, default) or poll
  --dashboard N=PATH,…  markdown documents to serve
  --history PATH        the command history file
  --tokens PATH         the token file (default tokens.json in the data directory; env PANECAST_TOKENS)
  --insecure-no-auth    allow PANECAST_AUTH=off on a non-loopback address

client commands (watch, send, login-link, search, record) take the server from --url or PANECAST_URL (default
http://127.0.0.1:3000) and the token from --token or PANECAST_TOKEN.

exit codes: 0 ok, 1 failure (also a refused token or an unreachable server), 2 bad configuration
or usage, 3 no tmux server`;

export async function main(argv: string[]): Promise<number> {
  const [command = "help", ...rest] = argv;
  if (command === "help" || command === "--help" || command === "-h") {
    const sub = rest[0] && COMMANDS[rest[0]] ? rest[0] : null;
    if (sub) return main([sub, "--help"]);
    console.log(HELP);
    return 0;
  }
  if (command === "version" || command === "--version" || command === "-V") {
    console.log(VERSION);
    return 0;
  }
  const cmd = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!cmd) {
    console.error(`panecast: unknown command '${command}'\nusage: panecast <command> [options] (commands: ${Object.keys(COMMANDS).join(", ")}; see 'panecast help')`);
    return 2;
  }
  try {
    return await (await cmd.run())(rest);
  } catch (err) {
    if (err instanceof HelpRequested) {
      console.log(err.usage);
      return 0;
    }
    if (err instanceof UsageError) {
      console.error(`panecast ${command}: ${err.message}\n${err.usage}`);
      return 2;
    }
    // A bad setting or a damaged token or key file: one line, not a stack.
    if (err instanceof ConfigError || err instanceof TokenError || err instanceof SessionKeyError || err instanceof DataDirError) {
      console.error(`panecast: ${err.message}`);
      return 2;
    }
    if (err instanceof UiMissing) {
      console.error(`panecast: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
