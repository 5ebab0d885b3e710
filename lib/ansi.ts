/**
 * ANSI SGR handling for captured screens (pure, shared by server and browser): parse a line into
 * styled segments, and make every line self-contained. tmux's `capture-pane -e` carries attributes
 * from one line to the next; panecast prefixes each line with the state it starts in, so a line means
 * the same wherever it moves (scrolling) and each one renders alone.
 */
import { DEFAULT_STYLE, applySgr, sameStyle, sgrOf, type Style } from "./ansi-style.ts";
export { DEFAULT_STYLE, applySgr, cssColor, isDefault, sameStyle, sgrOf } from "./ansi-style.ts";
export type { Color, Style } from "./ansi-style.ts";

export interface Segment {
  text: string;
  style: Style;
}

/**
 * Where the cursor is: panecast puts this private sequence (CSI = 1 p, which no terminal defines) in the
 * line the cursor is on, just before the cell under it, when tmux says the cursor is visible. It is an
 * escape sequence like any other: stripAnsi removes it, and the line diff carries cursor moves.
 */
export const CURSOR_MARK = "\x1b[=1p";

// SGR sequences (1), the cursor mark (2), OSC 8 hyperlinks (3: the URI), and any other escape sequence
// (stripped): CSI, OSC (BEL or ST terminated), charset designations (ESC ( B), 2-byte ESC.
// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b\[([0-9;:]*)m|(\x1b\[=1p)|\x1b\]8;[^;\x07\x1b]*;([^\x07\x1b]*)(?:\x07|\x1b\\)|\x1b\[[0-9;:?<=>]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[()*+#%][0-9A-Za-z@]|\x1b[@-Z\\-_=>78]?/g;

/**
 * Parses one line, starting from `start`; returns its segments, the state it ends in, and where the
 * cursor mark was (an index into the segments' joined text), if the line has it.
 */
export function parseLine(line: string, start: Style = DEFAULT_STYLE): { segments: Segment[]; end: Style; cursor: number | null } {
  const segments: Segment[] = [];
  let style: Style = { ...start };
  let last = 0;
  let length = 0;
  let cursor: number | null = null;
  ESCAPES.lastIndex = 0;
  for (let m = ESCAPES.exec(line); m; m = ESCAPES.exec(line)) {
    if (m.index > last) {
      segments.push({ text: line.slice(last, m.index), style });
      length += m.index - last;
    }
    last = m.index + m[0].length;
    if (m[1] !== undefined) style = applySgr(style, m[1]);
    else if (m[2] !== undefined) cursor = length;
    else if (m[3] !== undefined) style = { ...style, link: m[3] === "" ? null : m[3] };
  }
  if (last < line.length) segments.push({ text: line.slice(last), style });
  return { segments: mergeSegments(segments), end: style, cursor };
}

function mergeSegments(segs: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segs) {
    const prev = out[out.length - 1];
    if (prev && sameStyle(prev.style, s.style)) prev.text += s.text;
    else out.push({ text: s.text, style: s.style });
  }
  return out;
}

/**
 * Makes every line self-contained: each starts with the SGR state the previous line ended in. Lines
 * are captured with their trailing cells (`capture-pane -N`, so a coloured background to the right
 * edge survives); trailing spaces that show nothing (no background, not inverse) are dropped.
 */
export function normalizeLines(lines: readonly string[], memo?: LineMemo): string[] {
  const out: string[] = new Array<string>(lines.length);
  let state: Style = DEFAULT_STYLE;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const prefix = sgrOf(state);
    // sgrOf names every field of the style, so (prefix, line) decides the result.
    const key = memo ? `${prefix}\u0000${line}` : "";
    let done = memo?.get(key);
    if (!done) {
      const end = line.includes("\x1b") ? parseLine(line, state).end : state;
      const kept = line.endsWith(" ") && showsNothing(end) ? line.replace(/ +$/, "") : line;
      done = { line: prefix ? prefix + kept : kept, end };
      memo?.set(key, done);
    }
    out[i] = done.line;
    state = done.end;
  }
  return out;
}

/** One normalised line and the style it leaves for the next. */
export interface NormalizedLine {
  line: string;
  end: Readonly<Style>;
}

/**
 * Normalised lines by (entering style, raw line), for `normalizeLines`: a bounded cache the caller
 * owns (the frame store), so this module stays free of dependencies for the browser.
 */
export interface LineMemo {
  get(key: string): NormalizedLine | undefined;
  set(key: string, value: NormalizedLine): unknown;
}

/** Whether a blank cell in this style looks like no cell at all. */
function showsNothing(s: Style): boolean {
  return s.bg === null && !s.inverse && !s.underline && !s.strike;
}

/** The visible text of a line, escapes removed. */
export function stripAnsi(line: string): string {
  return line.replace(ESCAPES, "");
}
