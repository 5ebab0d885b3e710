import hljs from "highlight.js/lib/common";
import { Marked, type Tokens } from "marked";
import sanitizeHtml from "sanitize-html";
import type { TocEntry } from "../protocol.ts";

/**
 * GitHub-flavoured Markdown to safe HTML: tables, task lists, strikethrough, autolinks, fenced code
 * with syntax highlighting, heading anchors and a table of contents. Two layers keep the file's
 * content inert: raw HTML in the Markdown is escaped (it shows as text, never becomes markup), and the
 * result passes an allow-list sanitizer (no scripts, no event handlers, no javascript: URLs).
 */
export interface Rendered {
  html: string;
  toc: TocEntry[];
}

export interface RenderOptions {
  /**
   * `docs.allow_remote_images`: keep images from other sites. Off, such an image becomes a link to it,
   * so opening a dashboard never makes every viewer's browser fetch from a third party.
   */
  remoteImages?: boolean;
}

const SAFE_URL = /^(https?:|mailto:|#|\/|\.{0,2}\/|[^:]*$)/i;
const REMOTE = /^(https?:)?\/\//i;

export function renderMarkdown(source: string, opts: RenderOptions = {}): Rendered {
  const remoteImages = opts.remoteImages ?? false;
  const toc: TocEntry[] = [];
  const slugs = new Map<string, number>();
  const marked = new Marked({ gfm: true, breaks: false, async: false });
  marked.use({
    renderer: {
      html(token: Tokens.HTML | Tokens.Tag): string {
        return escapeHtml(token.text);
      },
      heading(this: { parser: { parseInline(t: Tokens.Generic[]): string } }, token: Tokens.Heading): string {
        const inner = this.parser.parseInline(token.tokens);
        const text = stripTags(inner);
        const id = uniqueSlug(text, slugs);
        toc.push({ level: token.depth, text, id });
        return `<h${token.depth} id="${id}"><a class="anchor" href="#${id}" aria-hidden="true">#</a>${inner}</h${token.depth}>\n`;
      },
      code(token: Tokens.Code): string {
        const lang = (token.lang ?? "").trim().split(/\s+/)[0]?.toLowerCase() ?? "";
        const body = lang && hljs.getLanguage(lang) ? hljs.highlight(token.text, { language: lang, ignoreIllegals: true }).value : escapeHtml(token.text);
        return `<pre><code class="hljs${lang ? ` language-${escapeHtml(lang)}` : ""}">${body}</code></pre>\n`;
      },
      link(this: { parser: { parseInline(t: Tokens.Generic[]): string } }, token: Tokens.Link): string {
        const inner = this.parser.parseInline(token.tokens);
        if (!SAFE_URL.test(token.href.trim())) return inner;
        const title = token.title ? ` title="${escapeHtml(token.title)}"` : "";
        return `<a href="${escapeHtml(token.href)}"${title}>${inner}</a>`;
      },
      image(token: Tokens.Image): string {
        const href = token.href.trim();
        if (!/^(https?:|\/|\.{0,2}\/|[^:]*$)/i.test(href)) return escapeHtml(token.text);
        if (REMOTE.test(href) && !remoteImages) {
          return /^https?:/i.test(href) ? `<a href="${escapeHtml(href)}">${escapeHtml(token.text || "image")}</a>` : escapeHtml(token.text);
        }
        return `<img src="${escapeHtml(token.href)}" alt="${escapeHtml(token.text)}" loading="lazy">`;
      },
    },
  });
  const raw = marked.parse(source) as string;
  return { html: sanitize(raw, remoteImages), toc };
}

function sanitize(html: string, remoteImages: boolean): string {
  return sanitizeHtml(html, {
    allowedTags: [
      "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code", "span", "strong", "em",
      "del", "s", "a", "img", "ul", "ol", "li", "input", "table", "thead", "tbody", "tr", "th", "td",
    ],
    allowedAttributes: {
      a: ["href", "title", "class", "aria-hidden", "rel", "target"],
      img: ["src", "alt", "title", "loading"],
      input: ["type", "checked", "disabled"],
      h1: ["id"], h2: ["id"], h3: ["id"], h4: ["id"], h5: ["id"], h6: ["id"],
      code: ["class"],
      span: ["class"],
      th: ["align"],
      td: ["align"],
      ol: ["start"],
      li: ["class"],
    },
    allowedClasses: { code: ["hljs", /^language-[\w-]+$/], span: [/^hljs-[\w-]+$/, /^language_$/, /^[\w-]+_$/], a: ["anchor"], li: ["task-list-item"] },
    allowedSchemes: ["http", "https", "mailto"],
    // Without remote images, an <img> keeps only a same-site (scheme-less) src.
    allowedSchemesByTag: { img: remoteImages ? ["http", "https"] : [] },
    allowProtocolRelative: false,
    exclusiveFilter: (frame) => frame.tag === "input" && frame.attribs.type !== "checkbox",
    transformTags: {
      a: (tagName, attribs) => ({
        tagName,
        attribs: attribs.href && /^https?:/i.test(attribs.href) ? { ...attribs, rel: "nofollow noopener noreferrer", target: "_blank" } : attribs,
      }),
      input: (tagName, attribs) => ({ tagName, attribs: { ...attribs, disabled: "" } }),
    },
  });
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function stripTags(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .trim();
}

/** GitHub's anchor slugs: lower case, punctuation dropped, spaces to '-', repeats numbered. */
export function uniqueSlug(text: string, seen: Map<string, number>): string {
  const base = text.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").trim().replace(/\s/g, "-") || "section";
  const n = seen.get(base) ?? 0;
  seen.set(base, n + 1);
  return n === 0 ? base : `${base}-${n}`;
}
