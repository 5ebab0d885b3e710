import type { Terminal } from "@xterm/xterm";

/**
 * Scrolling the focused terminal by touch. xterm.js 6 binds no touch handlers (its viewport scrolls on
 * the wheel only: xtermjs/xterm.js#5489), so a vertical drag is turned into scrolling here, as one
 * strip: the box holding the terminal moves first, then the terminal's scrollback (older content
 * when the finger goes down, newer when it goes up). Sideways drags and pinches stay the browser's
 * (the host's `touch-action: pan-x pinch-zoom`), so nothing here blocks the page's own gestures.
 * Returns the function that removes the listeners.
 */
export function scrollByTouch(host: HTMLElement, box: HTMLElement, term: Terminal): () => void {
  let lastY: number | null = null;
  // Pixels dragged but not yet a whole line of scrollback.
  let carry = 0;
  const lineHeight = () => {
    const screen = term.element?.querySelector(".xterm-screen");
    return Math.max(1, (screen?.getBoundingClientRect().height ?? 0) / Math.max(1, term.rows)) || 16;
  };
  const scrollLines = (px: number) => {
    const lh = lineHeight();
    carry += px;
    const n = Math.trunc(carry / lh);
    if (n !== 0) term.scrollLines(n);
    carry -= n * lh;
  };
  /** Positive: towards newer content (down the strip). */
  const move = (px: number) => {
    if (px < 0) {
      const byBox = Math.max(px, -box.scrollTop);
      box.scrollTop += byBox;
      if (px - byBox < 0) scrollLines(px - byBox);
      return;
    }
    const buf = term.buffer.active;
    const below = (buf.baseY - buf.viewportY) * lineHeight();
    const byTerm = Math.min(px, below);
    if (byTerm > 0) scrollLines(byTerm);
    if (px - byTerm > 0) box.scrollTop += px - byTerm;
  };
  const start = (e: TouchEvent) => {
    lastY = e.touches.length === 1 ? e.touches[0]!.clientY : null;
    carry = 0;
  };
  const drag = (e: TouchEvent) => {
    // Two fingers are a pinch: the browser's.
    if (e.touches.length !== 1 || lastY === null) return;
    const y = e.touches[0]!.clientY;
    move(lastY - y);
    lastY = y;
  };
  const end = () => {
    lastY = null;
  };
  host.addEventListener("touchstart", start, { passive: true });
  host.addEventListener("touchmove", drag, { passive: true });
  host.addEventListener("touchend", end, { passive: true });
  host.addEventListener("touchcancel", end, { passive: true });
  return () => {
    host.removeEventListener("touchstart", start);
    host.removeEventListener("touchmove", drag);
    host.removeEventListener("touchend", end);
    host.removeEventListener("touchcancel", end);
  };
}

/**
 * Scrolls the box so the terminal's cursor (where the prompt is answered) is in view: as far left as
 * keeps it visible, so a short prompt shows from its start, and its row near the bottom.
 */
export function revealCursor(box: HTMLElement, term: Terminal): void {
  const screen = term.element?.querySelector(".xterm-screen");
  if (!screen) return;
  const rect = screen.getBoundingClientRect();
  const cw = rect.width / Math.max(1, term.cols);
  const ch = rect.height / Math.max(1, term.rows);
  const buf = term.buffer.active;
  // The screen's offset inside the box's scrolled content (the box's padding).
  const boxRect = box.getBoundingClientRect();
  const left = rect.left - boxRect.left + box.scrollLeft;
  const top = rect.top - boxRect.top + box.scrollTop;
  const x = left + (buf.cursorX + 4) * cw;
  const y = top + (buf.cursorY + 2) * ch;
  box.scrollLeft = Math.max(0, x - box.clientWidth);
  box.scrollTop = Math.max(0, y - box.clientHeight);
}
