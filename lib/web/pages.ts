import type { IncomingMessage, ServerResponse } from "node:http";
import { loginMessage } from "../auth/login-messages.ts";
import { safeNext } from "../auth/next-path.ts";
import { readCookie } from "../auth/session-cookie.ts";
import type { Documents } from "../dashboard/documents.ts";
import { THEME_COOKIE, themeOf } from "../theme.ts";
import { escapeHtml, fillPage, type PageFill } from "./page-html.ts";
import { pageRoute } from "./routes.ts";
import { Site, type SiteFile } from "./site.ts";

export type PageHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Hashed file names: a new build has new names, so these never change. */
const IMMUTABLE = "public, max-age=31536000, immutable";

/**
 * The web UI's pages and assets from the static export (lib/web/site.ts), after lib/http/handler.ts
 * has checked who asks. HTML gets this response's CSP nonce on its scripts, the theme on <html>, and
 * for a browser without JavaScript the dashboard or the login message in its noscript slot.
 */
export function createPages(site: Site, opts: { basePath: string; documents: Pick<Documents, "info" | "list" | "payload"> }): PageHandler {
  const { basePath, documents } = opts;
  return async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" });
      res.end("method not allowed");
      return;
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    const route = url.pathname.slice(basePath.length) || "/";
    const target = pageRoute(route, documents);
    if (target.kind === "redirect") return redirect(res, `${basePath}${target.to}`);
    const file = target.kind === "file" ? site.get(target.file) : undefined;
    if (!file) return sendPage(req, res, 404, site.get("404.html"), {});
    if (file.type.startsWith("text/html")) {
      const extra: Partial<PageFill> = {};
      if (target.kind === "file" && target.doc !== undefined) extra.slots = { doc: await docSlot(documents, target.doc, url.searchParams.get("view") === "raw") };
      if (route === "/login") {
        const message = loginMessage(url.searchParams.get("error"));
        extra.loginNext = safeNext(url.searchParams.get("next"));
        if (message) extra.slots = { "login-error": `<p role="alert" data-testid="login-error" class="text-sm text-red-300">${escapeHtml(message)}</p>` };
      }
      return sendPage(req, res, 200, file, extra);
    }
    const stream = file.body || req.method === "HEAD" ? null : Site.stream(file);
    if (!file.body && req.method !== "HEAD" && !stream) return sendPage(req, res, 404, site.get("404.html"), {});
    const headers = { "content-type": file.type, "content-length": String(file.size), "cache-control": route.startsWith("/_next/static/") ? IMMUTABLE : "no-cache" };
    res.writeHead(200, headers);
    if (!stream) return void res.end(req.method === "HEAD" ? undefined : file.body);
    stream.on("error", () => res.destroy());
    stream.pipe(res);
  };
}

/** A page route's redirect (/dashboard to its first dashboard): never cached, the documents may change. */
export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(307, { location, "cache-control": "no-store" });
  res.end();
}

function sendPage(req: IncomingMessage, res: ServerResponse, status: number, file: SiteFile | undefined, extra: Partial<PageFill>): void {
  const csp = res.getHeader("content-security-policy");
  const nonce = typeof csp === "string" ? (/'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1] ?? null) : null;
  const theme = themeOf(readCookie(req.headers.cookie, THEME_COOKIE));
  const body = Buffer.from(file?.body ? fillPage(file.body.toString("utf8"), { nonce, theme, ...extra }) : "not found");
  res.writeHead(status, { "content-type": file ? file.type : "text/plain; charset=utf-8", "content-length": String(body.length), "cache-control": "no-store" });
  res.end(req.method === "HEAD" ? undefined : body);
}

/** A dashboard as HTML, for the page's noscript slot: rendered (already sanitized) or its source. */
async function docSlot(documents: Pick<Documents, "payload">, name: string, raw: boolean): Promise<string> {
  const p = await documents.payload(name).catch(() => null);
  if (!p || p.kind !== "markdown") return "";
  if (p.doc.state !== "ok") return `<p data-testid="doc-problem" data-state="${escapeHtml(p.doc.state)}" class="text-sm text-muted">${escapeHtml(p.path)}: the dashboard cannot be shown (${escapeHtml(p.doc.state)}).</p>`;
  if (raw) return `<pre data-testid="doc-raw" class="overflow-x-auto rounded-lg border border-edge bg-panel p-4 font-mono text-[13px] leading-relaxed whitespace-pre-wrap">${escapeHtml(p.doc.raw)}</pre>`;
  return `<article data-testid="doc-rendered" class="markdown rounded-lg border border-edge bg-panel px-6 py-5">${p.doc.html}</article>`;
}
