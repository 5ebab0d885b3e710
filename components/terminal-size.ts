/**
 * How the focused terminal is sized when the pane is wider than the screen, remembered per browser.
 * "readable" keeps the font at a size a phone can read and lets the terminal scroll sideways inside
 * its box (as Blink and Termius show a wide remote screen); "fit" shrinks the font until every column
 * fits (the whole screen at a glance, to be pinch-zoomed). A page choice, never sent to the server.
 */
export const TERMINAL_SIZES = ["readable", "fit"] as const;
export type TerminalSize = (typeof TERMINAL_SIZES)[number];

/** The font the terminal is drawn with when the pane fits. */
export const FONT_PX = 13;
/** The smallest font of "readable": about a phone's body text in a terminal app. */
export const READABLE_PX = 12;
/** The smallest font of "fit": 150 columns on a 390 px phone, to be pinch-zoomed; below, a smudge. */
export const FIT_MIN_PX = 4;

const KEY = "panecast.terminal-size";

/**
 * The font size for a pane of `cols` columns in a box where `fitCols` columns fit at FONT_PX: FONT_PX
 * when the pane fits, else shrunk in proportion, down to the mode's floor.
 */
export function fontFor(size: TerminalSize, fitCols: number, cols: number): number {
  if (fitCols >= cols || cols <= 0) return FONT_PX;
  const shrunk = Math.floor((FONT_PX * Math.max(0, fitCols)) / cols);
  return Math.max(size === "readable" ? READABLE_PX : FIT_MIN_PX, Math.min(FONT_PX, shrunk));
}

export function loadTerminalSize(): TerminalSize {
  try {
    const raw = window.localStorage.getItem(KEY);
    return TERMINAL_SIZES.includes(raw as TerminalSize) ? (raw as TerminalSize) : "readable";
  } catch {
    return "readable";
  }
}

export function saveTerminalSize(size: TerminalSize): void {
  try {
    window.localStorage.setItem(KEY, size);
  } catch {
    // Storage full or off (private mode): the choice holds for this page only.
  }
}
