import { createRequire } from "node:module";
import path from "node:path";
import type nextFn from "next";
import type { Config } from "./config.ts";
import { createPanecast, type PanecastApp } from "./app.ts";
import { PACKAGE_ROOT } from "./package-root.ts";
import { builtNextConfig, modulesDir, prepareUi } from "./web/ui.ts";
import { setServerContext } from "./web/context.ts";

export interface Booted {
  app: PanecastApp;
  url: string;
}

/**
 * Next.js and panecast on one HTTP server and port. Production serves the prebuilt UI from its copy
 * in the data directory (lib/web/ui.ts); dev mode (a checkout only) compiles the sources.
 */
export async function bootServer(config: Config, opts: { dev?: boolean } = {}): Promise<Booted> {
  process.env.PANECAST_BASE_PATH = config.server.base_path;
  const dir = opts.dev ? PACKAGE_ROOT : prepareUi(config.data_dir, config.server.base_path);
  // Production runs on the traced server modules with the settings the build resolved, as Next.js's
  // own standalone server does; dev mode (a checkout) on the full next.
  if (!opts.dev) process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(builtNextConfig(dir));
  const load = createRequire(path.join(PACKAGE_ROOT, "package.json"));
  const next = load(opts.dev ? "next" : path.join(modulesDir(), "next")) as typeof nextFn;
  const nextApp = next({ dev: opts.dev ?? false, dir, hostname: config.server.host, port: config.server.port });
  await nextApp.prepare();
  const handle = nextApp.getRequestHandler();
  const app = createPanecast(config, { pages: (req, res) => handle(req, res) });
  setServerContext({ documents: app.documents });
  try {
    return { app, url: await app.listen() };
  } catch (err) {
    // A port in use (or Redis refusing): stop what started, so the process can exit with the error.
    await app.close().catch(() => {});
    await nextApp.close().catch(() => {});
    throw err;
  }
}

/**
 * What a person needs to get in: with auth on, the login page; on the first start, the admin token
 * made for them and a login URL that carries it (in the fragment, so it never reaches a server log).
 */
export function announce(app: PanecastApp, url: string): void {
  console.log(`panecast listening on ${url}/`);
  if (!app.auth.enabled) {
    console.log("panecast: authentication is off (PANECAST_AUTH=off): anyone who can reach this address has full control");
    return;
  }
  if (app.bootstrapToken) {
    const where = app.cluster ? "tokens in Redis, shared by every node" : `tokens in ${app.config.auth.tokens_path}`;
    console.log(`panecast: first start: created the admin token (shown only this once; ${where}):`);
    console.log(`  ${app.bootstrapToken}`);
    console.log(`panecast: log in at ${url}/login#token=${app.bootstrapToken}`);
  } else {
    console.log(`panecast: log in at ${url}/login (create tokens with: panecast token create --name NAME --role viewer|operator|admin)`);
  }
}

/**
 * SIGINT/SIGTERM: stop watchers (control clients first), close sockets and the HTTP server, run
 * `after` (the demo stops its tmux server there), exit 0; exit 1 if that takes more than 5 s.
 */
export function installShutdown(app: PanecastApp, after?: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.error(`panecast: ${signal}, shutting down`);
    const force = setTimeout(() => {
      console.error("panecast: shutdown took longer than 5 s, exiting");
      process.exit(1);
    }, 5000);
    force.unref();
    void app
      .close()
      .then(() => after?.())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          console.error("panecast: error during shutdown:", err);
          process.exit(1);
        },
      );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}
