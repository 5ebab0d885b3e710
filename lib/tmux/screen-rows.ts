import { CURSOR_MARK } from "../ansi.ts";
import { insertAtCell } from "../cells.ts";
import { isPaneId } from "./target.ts";
import type { TmuxReads } from "./runtime.ts";

/**
 * Reading only the rows of a screen that changed. The change feed tells whether a pane's output only
 * printed text, changed colours and moved down (`plain`); then tmux changed only the rows from where
 * the cursor was (moved up by the lines that scrolled into the history) to where it is now. The
 * screen's state, read with every capture, says where that is.
 */

/** What a capture needs to know of a screen to read only its changed rows next time. */
export interface ScreenState {
  cursorX: number;
  cursorY: number;
  cursorVisible: boolean;
  historySize: number;
  historyLimit: number;
  alternate: boolean;
  regionTop: number;
  regionBottom: number;
  inMode: boolean;
  width: number;
  height: number;
}

/** The format of ScreenState (its first three fields are the cursor, as screen captures read it). */
export const SCREEN_FORMAT =
  "#{cursor_x},#{cursor_y},#{cursor_flag},#{history_size},#{history_limit},#{alternate_on},#{scroll_region_upper},#{scroll_region_lower},#{pane_in_mode},#{pane_width},#{pane_height}";

export function parseScreenState(text: string): ScreenState | null {
  const n = text.split(",").map(Number);
  if (n.length !== 11 || !n.every((v) => Number.isInteger(v) && v >= 0)) return null;
  return {
    cursorX: n[0]!,
    cursorY: n[1]!,
    cursorVisible: n[2] === 1,
    historySize: n[3]!,
    historyLimit: n[4]!,
    alternate: n[5] === 1,
    regionTop: n[6]!,
    regionBottom: n[7]!,
    inMode: n[8] === 1,
    width: n[9]!,
    height: n[10]!,
  };
}

/** Rows `start..end` of the screen now, and how far the rows of the last frame moved up. */
export interface RowRange {
  start: number;
  end: number;
  shift: number;
}

/**
 * The rows plain output changed between two reads of a screen, or null when that cannot be known and
 * the whole screen must be read: another size, the alternate screen or a mode, a scroll region (it
 * scrolls without adding to the history), a history that was trimmed or cleared (tmux drops a tenth of
 * `history-limit` once it is full, so the scroll count is lost), or a cursor that went up.
 */
export function changedRows(prev: ScreenState, next: ScreenState): RowRange | null {
  if (prev.width !== next.width || prev.height !== next.height) return null;
  if (prev.alternate || next.alternate || prev.inMode || next.inMode) return null;
  if (next.regionTop !== 0 || next.regionBottom !== next.height - 1) return null;
  if (next.historyLimit !== prev.historyLimit || next.historyLimit === 0) return null;
  if (next.historySize < prev.historySize || next.historySize >= next.historyLimit - Math.floor(next.historyLimit / 10)) return null;
  const shift = next.historySize - prev.historySize;
  const start = prev.cursorY - shift;
  if (start < 0 || next.cursorY < start || next.cursorY >= next.height) return null;
  return { start, end: next.cursorY, shift };
}

/** Per process, like capture.ts's marker: a line no pane prints by chance. */
const MARKER = "\u001eR:";

export interface RowsRequest {
  id: string;
  /** The rows to read, `start..end` (the screen's bottom row). */
  start: number;
  end: number;
}

export interface RowsRead {
  /** The rows `start..end`, as `capture-pane -p -e -N` prints them, the cursor marked. */
  rows: string[];
  /** The screen's state, read in the same call: changedRows tells whether the rows read are enough. */
  state: ScreenState;
  title: string;
}

/**
 * How many rows above the cursor's last row to read: the lines a pane scrolled per read lately, twice,
 * so a pane that prints faster soon gets enough (the state read with the rows tells when it did not).
 */
export function rowsAbove(lastShift: number, height: number): number {
  return Math.min(height, Math.max(2, lastShift * 2 + 1));
}

/**
 * Reads the given rows of each pane, with the screen's state and title, in one tmux call (tmux
 * cannot expand the state into capture-pane's -S, so the rows are a guess that the state then
 * confirms or not). A pane that is gone is left out: the caller reads it whole.
 */
export async function captureRows(runtime: TmuxReads, reqs: readonly RowsRequest[]): Promise<Map<string, RowsRead>> {
  const valid = reqs.filter((q) => isPaneId(q.id));
  const out = new Map<string, RowsRead>();
  if (valid.length === 0) return out;
  const args: string[] = [];
  for (const q of valid) {
    if (args.length > 0) args.push(";");
    args.push("display", "-p", "-t", q.id, `${MARKER}#{pane_id} ${SCREEN_FORMAT} #{pane_title}`);
    args.push(";", "capturep", "-p", "-e", "-N", "-t", q.id, "-S", String(q.start), "-E", String(q.end));
  }
  const r = await runtime.raw(args);
  const byId = new Map(valid.map((q) => [q.id, q]));
  let current: { id: string; rows: string[]; state: ScreenState; title: string } | null = null;
  const finish = () => {
    if (!current) return;
    const q = byId.get(current.id)!;
    if (current.rows.length === q.end - q.start + 1) {
      const s = current.state;
      const at = s.cursorY - q.start;
      if (s.cursorVisible && at >= 0 && at < current.rows.length) current.rows[at] = insertAtCell(current.rows[at]!, s.cursorX, CURSOR_MARK);
      out.set(current.id, { rows: current.rows, state: s, title: current.title });
    }
    current = null;
  };
  const lines = r.stdout.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  for (const line of lines) {
    if (line.startsWith(MARKER)) {
      finish();
      const [id, state, ...title] = line.slice(MARKER.length).split(" ");
      const s = state ? parseScreenState(state) : null;
      current = id && s && byId.has(id) ? { id, rows: [], state: s, title: title.join(" ") } : null;
    } else if (current) {
      current.rows.push(line);
    }
  }
  finish();
  return out;
}
