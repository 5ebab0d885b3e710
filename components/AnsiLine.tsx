import { Fragment, memo, type CSSProperties, type ReactNode } from "react";
import { cssColor, DEFAULT_STYLE, parseLine, type Segment, type Style } from "@/lib/ansi";
import { splitWide } from "@/lib/cells";
import { findUrls, safeHref } from "@/lib/links";

const FG = "var(--color-fg)";
const BG = "transparent";

function styleOf(s: Style): CSSProperties | undefined {
  let fg = s.fg === null ? null : cssColor(s.fg);
  let bg = s.bg === null ? null : cssColor(s.bg);
  if (s.inverse) [fg, bg] = [bg ?? "var(--color-ink)", fg ?? FG];
  const css: CSSProperties = {};
  if (fg) css.color = fg;
  if (bg && bg !== BG) css.backgroundColor = bg;
  if (s.bold) css.fontWeight = 700;
  if (s.dim) css.opacity = 0.6;
  if (s.italic) css.fontStyle = "italic";
  const deco = [s.underline && "underline", s.strike && "line-through"].filter(Boolean).join(" ");
  if (deco) css.textDecoration = deco;
  if (s.hidden) css.color = "transparent";
  return Object.keys(css).length > 0 ? css : undefined;
}

/** Text as terminal cells: each wide glyph in its own two-cell box, so CJK lines keep their columns. */
function cells(text: string, key: string): ReactNode {
  const runs = splitWide(text);
  if (runs.length === 1 && !runs[0]!.wide) return text;
  return runs.map((r, i) =>
    r.wide ? (
      <span key={`${key}w${i}`} className="w2">
        {r.text}
      </span>
    ) : (
      r.text
    ),
  );
}

/** Cells, with OSC 8 hyperlinks and plain http(s) URLs as links (other schemes stay text). */
function linked(text: string, link: string | null, key: string): ReactNode {
  const href = link === null ? null : safeHref(link);
  const pieces = href ? [{ text, href }] : findUrls(text);
  return pieces.map((p, i) =>
    p.href ? (
      <a key={`${key}a${i}`} href={p.href} target="_blank" rel="noopener noreferrer nofollow" className="term-link">
        {cells(p.text, `${key}a${i}`)}
      </a>
    ) : (
      <Fragment key={`${key}t${i}`}>{cells(p.text, `${key}t${i}`)}</Fragment>
    ),
  );
}

/** Splits the segments at the cursor's text index; the cell under it (a space past the end) is its own piece. */
function withCursor(segments: Segment[], cursor: number | null): Array<Segment & { cursor?: boolean }> {
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
 * One screen line with its colours, wide characters, links and cursor. Lines are self-contained (the
 * server prefixes the state each starts in), so a line renders alone and is memoized on its text: only
 * changed lines re-render. Text is set as React text, never as HTML, so whatever a pane prints stays text.
 */
export const AnsiLine = memo(function AnsiLine({ text }: { text: string }) {
  // Plain ASCII without a URL: the text itself (most lines).
  if (!/[^\x20-\x7e\t]|:\/\//.test(text)) return <>{text}</>;
  const { segments, cursor } = parseLine(text);
  return (
    <>
      {withCursor(segments, cursor).map((seg, i) => {
        const css = styleOf(seg.style);
        const body = linked(seg.text, seg.style.link, String(i));
        if (seg.cursor) {
          return (
            <span key={i} className="term-cursor" data-testid="cursor" style={css}>
              {body}
            </span>
          );
        }
        return css ? (
          <span key={i} style={css}>
            {body}
          </span>
        ) : (
          <Fragment key={i}>{body}</Fragment>
        );
      })}
    </>
  );
});
