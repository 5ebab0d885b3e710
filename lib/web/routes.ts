import type { DocInfo } from "../protocol.ts";
import { DOC_SHELL } from "./shell.ts";

/** What a page request is, decided from its path and the configured documents alone. */
export type PageRoute =
  | { kind: "file"; file: string; doc?: string }
  | { kind: "redirect"; to: string }
  | { kind: "not-found" };

export interface DocLookup {
  info(name: string): Pick<DocInfo, "kind"> | undefined;
  list(): Array<Pick<DocInfo, "name" | "kind">>;
}

const DOC_PAGE = /^\/dashboard\/([^/]+?)(\.txt)?$/;
/** The per-segment payloads Next.js's client prefetches (`/dashboard/<name>/__next.….txt`). */
const DOC_SEGMENT = /^\/dashboard\/([^/]+)\/(__next\.[A-Za-z0-9_.$-]+\.txt)$/;

function decoded(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/**
 * The exported file (slash-separated, relative to the export) that answers `route` (the path without
 * the base path), or a redirect, or nothing. Every dashboard is one exported page (DOC_SHELL), served
 * only for a configured Markdown document; the history page only when a command history is configured.
 */
export function pageRoute(route: string, docs: DocLookup): PageRoute {
  if (route === "/" || route === "/index.txt") return { kind: "file", file: route === "/" ? "index.html" : "index.txt" };
  if (route === "/dashboard" || route === "/dashboard/") {
    const first = docs.list().find((d) => d.kind === "markdown");
    return first ? { kind: "redirect", to: `/dashboard/${encodeURIComponent(first.name)}` } : { kind: "not-found" };
  }
  const page = DOC_PAGE.exec(route);
  const segment = page ? null : DOC_SEGMENT.exec(route);
  if (page || segment) {
    const name = decoded((page ?? segment)![1]!);
    if (name === null || docs.info(name)?.kind !== "markdown") return { kind: "not-found" };
    const file = page ? `dashboard/${DOC_SHELL}${page[2] ? ".txt" : ".html"}` : `dashboard/${DOC_SHELL}/${segment![2]}`;
    return { kind: "file", file, doc: name };
  }
  if (route.startsWith("/dashboard/")) return { kind: "not-found" };
  if ((route === "/history" || route.startsWith("/history/") || route === "/history.txt") && docs.info("history")?.kind !== "history") return { kind: "not-found" };
  // Next.js's own not-found route is the 404 page, not an address.
  if (/^\/(404|_not-found)(\.html|\.txt|\/|$)/.test(route)) return { kind: "not-found" };
  const rel = route.slice(1);
  if (rel === "" || rel.split("/").some((s) => s === "" || s === "." || s === "..")) return { kind: "not-found" };
  return { kind: "file", file: /\.[a-z0-9]+$/i.test(rel) ? rel : `${rel}.html` };
}
