import type { Config } from "./config.ts";
import { createPanecast, type PanecastApp } from "./app.ts";
import { devPages } from "./web/dev-pages.ts";
import { createPages, type PageHandler } from "./web/pages.ts";
import { loadUi } from "./web/ui.ts";

export interface Booted {
  app: PanecastApp;
  url: string;
}

/**
 * panecast on one HTTP server and port. Production serves the prebuilt UI, a static export, with
 * panecast's own handler (lib/web/pages.ts): Next.js's server is never loaded. Dev mode (a checkout
 * only) has Next.js compile the sources.
 */
export async function bootServer(config: Config, opts: { dev?: boolean } = {}): Promise<Booted> {
  process.env.PANECAST_BASE_PATH = config.server.base_path;
  const site = opts.dev ? null : loadUi(config.data_dir, config.server.base_path);
  // The pages need the app's documents; the app needs the pages' handler: bound once both exist.
  let pages: PageHandler | null = null;
  const app = createPanecast(config, { pages: (req, res) => (pages ? pages(req, res) : undefined) });
  const dev = opts.dev ? await devPages(config, () => app.documents) : null;
  pages = dev ? dev.handle : createPages(site!, { basePath: config.server.base_path, documents: app.documents });
  try {
    return { app, url: await app.listen() };
  } catch (err) {
    // A port in use (or Redis refusing): stop what started, so the process can exit with the error.
    await app.close().catch(() => {});
    await dev?.close().catch(() => {});
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
