import { randomBytes } from "node:crypto";
import { CURSOR_MARK } from "../ansi.ts";
import { insertAtCell } from "../cells.ts";
import type { TmuxReads } from "./runtime.ts";
import { classifyTmuxFailure } from "./errors.ts";
import { parseScreenState, SCREEN_FORMAT, type ScreenState } from "./screen-rows.ts";
import { isPaneId } from "./target.ts";

export interface CaptureOptions {
  /** Also read each pane's title (an agent may show its state only there), into this map. */
  titles?: Map<string, string>;
  /** Keep colours and attributes (`-e`). */
  colors?: boolean;
  /** Lines of scrollback above the visible screen to include (`-S -N`); 0 for the screen only. */
  historyLines?: number;
  /** Capture only the scrollback, not the screen (`-E -1`). */
  historyOnly?: boolean;
  /** Screen captures only: also read each screen's state (cursor, history size …), into this map. */
  screens?: Map<string, ScreenState>;
}

/** Per process: a marker no pane prints by chance. `#{pane_id}` is expanded after strftime, so it is safe. */
const NONCE = randomBytes(6).toString("base64url");
const MARKER_PREFIX = `\u001e${NONCE}:`;

/**
 * tmux refuses a command whose arguments pass its message size (about 16 KB: "command too long"), so
 * one process reads as many panes as fit in this budget; a larger fleet takes one more process per
 * chunk. The short aliases (`display`, `capturep`) fit some 150 panes (with their cursors) in one process.
 */
export const MAX_COMMAND_BYTES = 14_000;

/** Splits pane ids into chunks whose capture arguments stay under the budget (`reserved` taken by the first). */
export function chunkPanes(paneIds: readonly string[], opts: CaptureOptions = {}, reserved = 0): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let bytes = reserved;
  for (const id of paneIds) {
    const cost = captureArgs([id], opts).reduce((n, a) => n + a.length + 1, 2);
    if (current.length > 0 && bytes + cost > MAX_COMMAND_BYTES) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(id);
    bytes += cost;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Captures many panes in ONE tmux process: `display-message -p <marker> ; capture-pane -p … ; …`.
 * Returns each pane's lines; a pane that no longer exists maps to null. tmux stops a chain at the
 * first failing command, so on failure the panes after the failing one are captured again.
 */
export async function capturePanes(
  runtime: TmuxReads,
  paneIds: readonly string[],
  opts: CaptureOptions = {},
): Promise<Map<string, string[] | null>> {
  const out = new Map<string, string[] | null>();
  let todo = paneIds.filter((id) => isPaneId(id));
  for (const id of paneIds) if (!isPaneId(id)) out.set(id, null);
  while (todo.length > 0) {
    const chunk = chunkPanes(todo, opts)[0]!;
    const r = await runtime.raw(captureArgs(chunk, opts));
    const got = parseCapture(r.stdout, opts.titles, opts.screens);
    for (const [id, lines] of got) out.set(id, lines);
    if (r.exitCode === 0) {
      todo = todo.slice(chunk.length);
      continue;
    }
    // The chain stops at the vanished pane's capture-pane (its marker prints with an empty id and is
    // skipped), so the failed pane is the one after the last pane that was read.
    const seen = [...got.keys()];
    const failedAt = seen.length === 0 ? 0 : todo.indexOf(seen[seen.length - 1]!) + 1;
    const failed = todo[failedAt];
    if (failed === undefined || !/can't find|no such/i.test(r.stderr)) throw classifyTmuxFailure(r.stderr, r.exitCode);
    out.set(failed, null);
    todo = todo.slice(failedAt + 1);
  }
  return out;
}

export function captureArgs(paneIds: readonly string[], opts: CaptureOptions = {}): string[] {
  const args: string[] = [];
  const history = Math.max(0, Math.floor(opts.historyLines ?? 0));
  for (const id of paneIds) {
    if (args.length > 0) args.push(";");
    // The screen's marker also carries the cursor, read in the same call as the screen it belongs to.
    const screenOnly = !(history > 0 || opts.historyOnly);
    const position = screenOnly ? (opts.screens ? ` ${SCREEN_FORMAT}` : CURSOR_FORMAT) : "";
    args.push("display", "-p", "-t", id, `${MARKER_PREFIX}#{pane_id}${position}${screenOnly && opts.titles ? TITLE_FORMAT : ""}`, ";", "capturep", "-p", "-t", id);
    // -N keeps trailing cells, so a background colour to the right edge survives (normalizeLines
    // drops the trailing spaces that show nothing).
    if (opts.colors !== false) args.push("-e", "-N");
    if (history > 0) args.push("-S", `-${history}`);
    if (opts.historyOnly) args.push("-E", "-1");
  }
  return args;
}

/** Only on screen-only captures, where row y of the screen is line y of the capture. */
const CURSOR_FORMAT = " #{cursor_x},#{cursor_y},#{cursor_flag}";
/** After the cursor, the rest of the marker line (tmux drops control characters from titles). */
const TITLE_FORMAT = " #{pane_title}";

/** Splits the chained output at the markers, and marks each screen's visible cursor (CURSOR_MARK). */
export function parseCapture(stdout: string, titles?: Map<string, string>, screens?: Map<string, ScreenState>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const lines = stdout.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  let current: string[] | null = null;
  let cursor: number[] | null = null;
  const finish = () => {
    // [x, y, visible]
    if (!current || !cursor || cursor[2] !== 1) return;
    const row = cursor[1]!;
    if (row < current.length) current[row] = insertAtCell(current[row]!, cursor[0]!, CURSOR_MARK);
  };
  for (const line of lines) {
    if (line.startsWith(MARKER_PREFIX)) {
      finish();
      // An empty id: display-message ran for a pane that is gone; its capture failed and ends the chain.
      const [id, pos, ...title] = line.slice(MARKER_PREFIX.length).split(" ");
      if (id && pos && titles) titles.set(id, title.join(" "));
      // The cursor (x,y,visible), alone or at the head of the screen's state.
      const state = pos && screens ? parseScreenState(pos) : null;
      if (id && state) screens!.set(id, state);
      const nums = pos ? pos.split(",").slice(0, 3).map(Number) : [];
      cursor = nums.length === 3 && nums.every((n) => Number.isInteger(n) && n >= 0) ? nums : null;
      current = id ? [] : null;
      if (current) out.set(id!, current);
    } else if (current) {
      current.push(line);
    }
  }
  finish();
  return out;
}
