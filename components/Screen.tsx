"use client";

import { useEffect, useLayoutEffect, useRef, useState, type HTMLAttributes } from "react";
import { stripAnsi } from "@/lib/ansi";
import { perFrame, useFleet } from "./fleet";
import type { Severity } from "./line-dom";
import { ScreenPainter } from "./screen-painter";

type PreProps = Omit<HTMLAttributes<HTMLPreElement>, "children">;

/** A `<pre>` whose rows a ScreenPainter owns (React renders the element, never its children). */
function usePainter(): [(el: HTMLPreElement | null) => void, ScreenPainter | null] {
  const [painter, setPainter] = useState<ScreenPainter | null>(null);
  const ref = useRef<HTMLPreElement | null>(null);
  const attach = (el: HTMLPreElement | null) => {
    if (el && el !== ref.current) {
      ref.current = el;
      setPainter(new ScreenPainter(el));
    }
  };
  return [attach, painter];
}

/** A fixed screen (a recorded moment): its lines, painted when they change. */
export function Screen({ lines, ...pre }: PreProps & { lines: readonly string[] | null }) {
  const [attach, painter] = usePainter();
  useLayoutEffect(() => {
    if (!painter) return;
    if (lines) painter.paint(lines);
    else painter.clear();
  }, [painter, lines]);
  return <pre ref={attach} {...pre} />;
}

/** Lines a compact card shows: the last ones with text, where an agent's prompt and question are. */
export const COMPACT_LINES = 8;

function lastWithText(lines: readonly string[]): readonly string[] {
  let end = lines.length;
  while (end > 0 && stripAnsi(lines[end - 1]!).trim() === "") end--;
  return lines.slice(Math.max(0, end - COMPACT_LINES), end);
}

/**
 * A pane's live screen. It follows the pane's frames itself, at most once an animation frame with the
 * page's other updates, and paints the changed rows straight into the DOM: a streaming pane costs no
 * React render of its card. With `live` false (a card far off screen) it keeps what it shows and
 * catches up when live again.
 */
export function LiveScreen({ id, live, compact, severity, ...pre }: PreProps & { id: string; live: boolean; compact: boolean; severity?: (raw: string) => Severity }) {
  const { mirror } = useFleet();
  const [attach, painter] = usePainter();
  useEffect(() => {
    if (!painter) return;
    let shown: string[] | null = null;
    let cut: readonly string[] = [];
    const draw = () => {
      const pane = mirror.pane(id);
      if (!pane) return;
      if (pane.lines !== shown) {
        shown = pane.lines;
        cut = compact ? lastWithText(pane.lines) : pane.lines;
      }
      painter.paint(cut, severity);
    };
    draw();
    return live ? mirror.subscribePane(id, perFrame(draw)) : undefined;
  }, [painter, mirror, id, live, compact, severity]);
  return <pre ref={attach} {...pre} />;
}
