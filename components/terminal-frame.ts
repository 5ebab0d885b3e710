import { CURSOR_MARK, stripAnsi } from "../lib/ansi.ts";
import { cellWidth } from "../lib/cells.ts";

/** What a terminal view last drew: the screen's lines and how many lines had scrolled off by then. */
export interface Drawn {
  lines: readonly string[];
  scrolledTotal: number;
}

/** A pane's state as the mirror holds it (lib/client/mirror.ts). */
export interface Frame {
  lines: readonly string[];
  scrolled: readonly string[];
  scrolledTotal: number;
}

const CSI = "\x1b[";

/** Where the cursor mark sits: its row and cell column, or null when tmux hides the cursor. */
export function cursorCell(lines: readonly string[]): { row: number; col: number } | null {
  for (let row = 0; row < lines.length; row++) {
    const at = lines[row]!.indexOf(CURSOR_MARK);
    if (at < 0) continue;
    let col = 0;
    for (const ch of stripAnsi(lines[row]!.slice(0, at))) col += cellWidth(ch);
    return { row, col };
  }
  return null;
}

/** One row drawn afresh: every line is self-contained (it starts from the default style). */
function row(i: number, line: string): string {
  return `${CSI}${i + 1};1H${CSI}0m${CSI}2K${line}${CSI}0m`;
}

/**
 * Lines into the terminal's scrollback, oldest first, exactly: each chunk of at most `rows` lines is
 * drawn at the top of the screen and scrolled out with line feeds at the bottom row. Returns the
 * bytes and how many of the screen's former rows are still on screen (shifted up).
 */
function pushScrollback(lines: readonly string[], rows: number): string {
  let out = "";
  for (let at = 0; at < lines.length; at += rows) {
    const chunk = lines.slice(at, at + rows);
    chunk.forEach((l, i) => (out += row(i, l)));
    out += `${CSI}${rows};1H` + "\n".repeat(chunk.length);
  }
  return out;
}

/**
 * The bytes that take a terminal of `rows` rows from `prev` (null: empty) to `next`: lines that
 * scrolled off since go into the terminal's scrollback (searchable and copyable there), then only the
 * rows that differ are rewritten, and the cursor goes where tmux has it. The first draw also puts
 * `history` (the scrollback tmux keeps above the screen) into the scrollback.
 */
export function frameBytes(prev: Drawn | null, next: Frame, rows: number, history: readonly string[] = []): string {
  let out = `${CSI}?25l`;
  let shown: readonly string[] = prev?.lines ?? [];
  if (!prev) out += `${CSI}H${CSI}2J` + pushScrollback(history, rows);
  const scrolledOff = prev ? Math.max(0, next.scrolledTotal - prev.scrolledTotal) : 0;
  if (scrolledOff > 0) {
    // The mirror keeps a bounded tail: lines it no longer has scroll out blank.
    const kept = next.scrolled.slice(Math.max(0, next.scrolled.length - scrolledOff));
    const gone = [...Array<string>(scrolledOff - kept.length).fill(""), ...kept];
    out += pushScrollback(gone, rows);
    shown = scrolledOff >= rows ? [] : shown.slice(scrolledOff);
  }
  for (let i = 0; i < rows; i++) {
    const want = next.lines[i] ?? "";
    if (!prev || (shown[i] ?? "") !== want) out += row(i, want);
  }
  const cur = cursorCell(next.lines);
  if (cur) out += `${CSI}${cur.row + 1};${cur.col + 1}H${CSI}?25h`;
  return out;
}
