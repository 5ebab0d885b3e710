import { cssColor, DEFAULT_STYLE, parseLine, type Segment, type Style } from "@/lib/ansi";
import { splitWide } from "@/lib/cells";
import { findUrls, safeHref } from "@/lib/links";

/**
 * One screen line as DOM nodes: colours, wide characters, links and the cursor, built directly (no
 * React), so a card's screen costs one row element per changed line and nothing per unchanged one.
 * Text is always set as text nodes, never as HTML: whatever a pane prints stays text.
 */

export type Severity = "error" | "warning" | null;

const FG = "var(--color-fg)";

/** Inline CSS for a style, or "" for the default one (then the text needs no element of its own). */
export function cssOf(s: Style): string {
  let fg = s.fg === null ? null : cssColor(s.fg);
  let bg = s.bg === null ? null : cssColor(s.bg);
  if (s.inverse) [fg, bg] = [bg ?? "var(--color-ink)", fg ?? FG];
  let css = "";
  if (s.hidden) css += "color:transparent;";
  else if (fg) css += `color:${fg};`;
  if (bg) css += `background-color:${bg};`;
  if (s.bold) css += "font-weight:700;";
  if (s.dim) css += "opacity:0.6;";
  if (s.italic) css += "font-style:italic;";
  const deco = [s.underline && "underline", s.strike && "line-through"].filter(Boolean).join(" ");
  if (deco) css += `text-decoration:${deco};`;
  return css;
}

/** Text as terminal cells: each wide glyph in its own two-cell box, so CJK lines keep their columns. */
function appendCells(parent: Node, text: string): void {
  for (const r of splitWide(text)) {
    if (!r.wide) {
      parent.appendChild(document.createTextNode(r.text));
      continue;
    }
    const w = document.createElement("span");
    w.className = "w2";
    w.textContent = r.text;
    parent.appendChild(w);
  }
}

/** Cells, with OSC 8 hyperlinks and plain http(s) URLs as links (other schemes stay text). */
function appendLinked(parent: Node, text: string, link: string | null): void {
  const href = link === null ? null : safeHref(link);
  for (const p of href ? [{ text, href }] : findUrls(text)) {
    if (!p.href) {
      appendCells(parent, p.text);
      continue;
    }
    const a = document.createElement("a");
    a.href = p.href;
    a.target = "_blank";
    a.rel = "noopener noreferrer nofollow";
    a.className = "term-link";
    appendCells(a, p.text);
    parent.appendChild(a);
  }
}

/** Splits the segments at the cursor's text index; the cell under it (a space past the end) is its own piece. */
export function withCursor(segments: Segment[], cursor: number | null): Array<Segment & { cursor?: boolean }> {
  if (cursor === null) return segments;
  const out: Array<Segment & { cursor?: boolean }> = [];
  let at = 0;
  let placed = false;
  for (const seg of segments) {
    const end = at + seg.text.length;
    if (!placed && cursor >= at && cursor < end) {
      const i = cursor - at;
      // The glyph under the cursor, with any zero-width marks that follow it.
      const glyph = /^.[\p{Mn}\p{Me}\ufe0f\u200d]*/su.exec(seg.text.slice(i))![0];
      if (i > 0) out.push({ text: seg.text.slice(0, i), style: seg.style });
      out.push({ text: glyph, style: seg.style, cursor: true });
      if (i + glyph.length < seg.text.length) out.push({ text: seg.text.slice(i + glyph.length), style: seg.style });
      placed = true;
    } else out.push(seg);
    at = end;
  }
  if (!placed) out.push({ text: " ", style: segments.at(-1)?.style ?? DEFAULT_STYLE, cursor: true });
  return out;
}

/**
 * A row element holding one line and the newline after it, so the screen's text (and a copied
 * selection) is its lines joined by "\n". Lines are self-contained (the server prefixes the state each
 * starts in), so a row is built from its own text alone.
 */
export function lineRow(text: string, severity: Severity): HTMLElement {
  const row = document.createElement("span");
  row.className = severity ? `term-row sev-${severity}` : "term-row";
  if (severity) row.dataset.severity = severity;
  // Plain ASCII without a URL (most lines): one text node.
  if (!/[^\x20-\x7e\t]|:\/\//.test(text)) {
    row.textContent = text + "\n";
    return row;
  }
  const { segments, cursor } = parseLine(text);
  for (const seg of withCursor(segments, cursor)) {
    const css = cssOf(seg.style);
    if (!seg.cursor && !css) {
      appendLinked(row, seg.text, seg.style.link);
      continue;
    }
    const span = document.createElement("span");
    if (css) span.style.cssText = css;
    if (seg.cursor) {
      span.className = "term-cursor";
      span.dataset.testid = "cursor";
    }
    appendLinked(span, seg.text, seg.style.link);
    row.appendChild(span);
  }
  row.appendChild(document.createTextNode("\n"));
  return row;
}
