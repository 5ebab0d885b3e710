import { memo, type CSSProperties } from "react";
import { cssColor, parseLine, type Style } from "@/lib/ansi";

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

/**
 * One screen line with its colours. Lines are self-contained (the server prefixes the state each
 * starts in), so a line renders alone and is memoized on its text: only changed lines re-render.
 * Text is set as React text, never as HTML, so whatever a pane prints stays text.
 */
export const AnsiLine = memo(function AnsiLine({ text }: { text: string }) {
  if (!text.includes("\x1b")) return <>{text}</>;
  const { segments } = parseLine(text);
  return (
    <>
      {segments.map((seg, i) => {
        const css = styleOf(seg.style);
        return css ? (
          <span key={i} style={css}>
            {seg.text}
          </span>
        ) : (
          seg.text
        );
      })}
    </>
  );
});
