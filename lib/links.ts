/**
 * Clickable links in terminal text: OSC 8 hyperlinks and plain http(s) URLs. Only http and https are
 * ever linked: a pane can print `javascript:` or `file:` targets, and those stay text.
 */

const MAX_URL = 2048;

/** The URL if it is an absolute http(s) URL of sane length, else null. */
export function safeHref(uri: string): string | null {
  if (uri.length === 0 || uri.length > MAX_URL || !/^https?:\/\//i.test(uri)) return null;
  try {
    const u = new URL(uri);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}

export interface TextPiece {
  text: string;
  href: string | null;
}

// A URL runs to whitespace or a character that cannot be in one unquoted.
const URL_RE = /https?:\/\/[^\s<>"'`\u0000-\u001f\u007f]+/gi;

/** Splits text at plain http(s) URLs; trailing punctuation (and an unbalanced closing bracket) is not part of one. */
export function findUrls(text: string): TextPiece[] {
  if (!text.includes("://")) return [{ text, href: null }];
  const out: TextPiece[] = [];
  let last = 0;
  URL_RE.lastIndex = 0;
  for (let m = URL_RE.exec(text); m; m = URL_RE.exec(text)) {
    let url = m[0];
    for (;;) {
      const tail = url.at(-1)!;
      if (/[.,;:!?'"]/.test(tail)) url = url.slice(0, -1);
      else if (tail === ")" && count(url, "(") < count(url, ")")) url = url.slice(0, -1);
      else if (tail === "]" && count(url, "[") < count(url, "]")) url = url.slice(0, -1);
      else break;
    }
    const href = safeHref(url);
    if (!href) continue;
    if (m.index > last) out.push({ text: text.slice(last, m.index), href: null });
    out.push({ text: url, href });
    last = m.index + url.length;
    URL_RE.lastIndex = last;
  }
  if (last < text.length) out.push({ text: text.slice(last), href: null });
  return out;
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}
