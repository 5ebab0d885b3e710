import { createRequire } from "node:module";
import path from "node:path";
import type nextFn from "next";
import type { Config } from "../config.ts";
import { PACKAGE_ROOT } from "../package-root.ts";
import { redirect, type PageHandler } from "./pages.ts";
import { pageRoute, type DocLookup } from "./routes.ts";
import { DOC_SHELL } from "./shell.ts";

/**
 * Dev mode (a checkout only, `npm run dev`): Next.js compiles and serves the pages from the sources,
 * with the same routes as the export's handler (the /dashboard redirect, 404 for unknown documents,
 * one page for every dashboard). The theme cookie is applied after the page loads, not before.
 */
export async function devPages(config: Config, docs: () => DocLookup): Promise<{ handle: PageHandler; close: () => Promise<void> }> {
  const load = createRequire(path.join(PACKAGE_ROOT, "package.json"));
  const next = load("next") as typeof nextFn;
  const app = next({ dev: true, dir: PACKAGE_ROOT, hostname: config.server.host, port: config.server.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const base = config.server.base_path;
  return {
    handle: async (req, res) => {
      const url = new URL(req.url ?? "/", "http://localhost");
      const target = pageRoute(url.pathname.slice(base.length) || "/", docs());
      if (target.kind === "redirect") return redirect(res, `${base}${target.to}`);
      if (target.kind === "file" && target.doc !== undefined) req.url = `${base}/dashboard/${DOC_SHELL}${url.search}`;
      await handle(req, res);
    },
    close: () => app.close(),
  };
}
