import { ConfigError } from "../lib/config.ts";
import { SessionKeyError } from "../lib/auth/session-key.ts";
import { TokenError } from "../lib/auth/tokens.ts";
import { ROLES } from "../lib/protocol.ts";
import { VERSION } from "../lib/version.ts";

const HELP = `panecast ${VERSION}: a live web dashboard for AI coding agents in tmux

usage: panecast <command> [options]

commands:
  start            serve the dashboard (builds the web UI when needed) on http://127.0.0.1:3000
  demo             start demo agents on a private tmux server (-L panecast-demo) and serve them
  demo-cluster     two demo fleets (tmux -L panecast-demo-alpha, -beta), one Redis, nodes alpha and
                   beta, one URL (npm run demo:cluster)
  status [--json]  list sessions, windows and panes with their agent types
  token create --name NAME --role ${ROLES.join("|")} [--sessions GLOB,...] [--expires 30d]
  token list [--json] | token revoke NAME | token rotate-key
                   manage access tokens (stored hashed in auth.tokens_path, mode 0600)
  watch [--json] [--session A,B] [--type T1,T2]
                   follow the fleet: a live table of agents and states, or one JSON event per line
  send PANE TEXT [--enter] [--key KEY ...]
                   type to an agent (operator token)
  hooks install claude|gemini|codex [--settings PATH | --project DIR | --codex-config PATH] [--url URL]
  hooks uninstall claude|gemini|codex
                   let the agent CLI report its own state (hook events) to panecast; an agent
                   token for it is kept (0600) beside the token file
  hook AGENT       what the agent CLI runs on each event (reads the event on stdin; always exits 0)
  build            build the web UI
  help, version

options (start, demo, status):
  --config PATH         settings file (default ./panecast.yaml when present; env PANECAST_CONFIG)
  --host HOST           bind address (default 127.0.0.1; env PANECAST_HOST)
  --port N              port (default 3000; env PANECAST_PORT)
  --base-path /PATH     serve under a path prefix (env PANECAST_BASE_PATH)
  -L, --socket-name N   tmux socket name (env PANECAST_TMUX_SOCKET_NAME)
  -S, --socket-path P   tmux socket path (env PANECAST_TMUX_SOCKET_PATH)
  --sessions A,B        session names or globs to watch (default all)
  --watch-mode M        push (control mode, default) or poll
  --tokens PATH         the token file (default ./.panecast/tokens.json; env PANECAST_TOKENS)
  --insecure-no-auth    allow PANECAST_AUTH=off on a non-loopback address
  --dev                 start: run Next.js in development mode

client commands (watch, send) take the server from --url or PANECAST_URL (default
http://127.0.0.1:3000) and the token from --token or PANECAST_TOKEN.

exit codes: 0 ok, 1 failure (also a refused token or an unreachable server), 2 bad configuration
or usage, 3 no tmux server
`;

export async function main(argv: string[]): Promise<number> {
  const [command = "help", ...rest] = argv;
  try {
    switch (command) {
      case "start":
        return await (await import("./start.ts")).start(rest);
      case "demo":
        return await (await import("./demo.ts")).demo(rest);
      case "demo-cluster":
        return await (await import("./demo-cluster.ts")).demoCluster(rest);
      case "status":
        return await (await import("./status.ts")).status(rest);
      case "token":
        return await (await import("./token.ts")).token(rest);
      case "watch":
        return await (await import("./watch.ts")).watch(rest);
      case "send":
        return await (await import("./send.ts")).send(rest);
      case "hooks":
        return await (await import("./hooks.ts")).hooks(rest);
      case "build":
        return await (await import("./start.ts")).buildOnly(rest);
      case "version":
      case "--version":
      case "-v":
        console.log(VERSION);
        return 0;
      case "help":
      case "--help":
      case "-h":
        console.log(HELP);
        return 0;
      default:
        console.error(`panecast: unknown command '${command}' (see 'panecast help')`);
        return 2;
    }
  } catch (err) {
    // A bad setting or a damaged token or key file: one line, not a stack.
    if (err instanceof ConfigError || err instanceof TokenError || err instanceof SessionKeyError) {
      console.error(`panecast: ${err.message}`);
      return 2;
    }
    throw err;
  }
}
