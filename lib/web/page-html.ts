import type { Theme } from "../theme.ts";
import { SLOT_ATTRIBUTE, type Slot } from "./shell.ts";

/** What one response of an exported page carries that the export cannot know. */
export interface PageFill {
  /** This response's CSP nonce (lib/http/security-headers.ts): every script of the page gets it. */
  nonce: string | null;
  /** The theme cookie's value: set on <html> so the first paint is in it (no flash, no inline script). */
  theme: Theme;
  /** Server-rendered HTML for the page's noscript slots (lib/web/shell.ts). */
  slots?: Partial<Record<Slot, string>>;
  /** The login form's hidden `next` field, for a sign-in without JavaScript. */
  loginNext?: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * An exported page as this response sends it. The export's HTML is React's own output, so the marks
 * looked for are exact strings; a mark that is absent leaves the page as it was.
 */
export function fillPage(html: string, fill: PageFill): string {
  let out = html.replace("<html ", `<html data-theme="${fill.theme}" `);
  if (fill.nonce !== null) {
    // Scripts, and the preloads of scripts: under 'strict-dynamic' a preload without the nonce is refused too.
    const nonce = ` nonce="${escapeHtml(fill.nonce)}"`;
    out = out.replaceAll("<script", () => `<script${nonce}`).replace(/<link(?=\s[^>]*\bas="script")/g, () => `<link${nonce}`);
  }
  for (const [slot, content] of Object.entries(fill.slots ?? {})) {
    // Inside <noscript> a browser with scripting on reads everything up to "</noscript" as text.
    if (content === undefined || /<\/noscript/i.test(content)) continue;
    const empty = `<noscript ${SLOT_ATTRIBUTE}="${slot}"></noscript>`;
    out = out.replace(empty, () => `<noscript ${SLOT_ATTRIBUTE}="${slot}">${content}</noscript>`);
  }
  if (fill.loginNext !== undefined) {
    const next = escapeHtml(fill.loginNext);
    out = out.replace('name="next" value="/"', () => `name="next" value="${next}"`);
  }
  return out;
}
