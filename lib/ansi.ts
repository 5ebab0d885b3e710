/**
 * ANSI SGR handling for captured screens (pure, shared by server and browser): parse a line into
 * styled segments, and make every line self-contained. tmux's `capture-pane -e` carries attributes
 * from one line to the next; panecast prefixes each line with the state it starts in, so a line means
 * the same wherever it moves (scrolling) and each one renders alone.
 */

/** A palette index (0-255) or a truecolor "#rrggbb". */
export type Color = number | string;

export interface Style {
  fg: Color | null;
  bg: Color | null;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  blink: boolean;
  inverse: boolean;
  hidden: boolean;
  strike: boolean;
  /** The target of an OSC 8 hyperlink the text is in (any scheme: links.ts decides what is clickable). */
  link: string | null;
}

export interface Segment {
  text: string;
  style: Style;
}

export const DEFAULT_STYLE: Readonly<Style> = Object.freeze({
  fg: null,
  bg: null,
  bold: false,
  dim: false,
  italic: false,
  underline: false,
  blink: false,
  inverse: false,
  hidden: false,
  strike: false,
  link: null,
});

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

export function isDefault(s: Style): boolean {
  return (
    s.fg === null && s.bg === null && !s.bold && !s.dim && !s.italic && !s.underline && !s.blink && !s.inverse && !s.hidden && !s.strike && s.link === null
  );
}

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

export function sameStyle(a: Style, b: Style): boolean {
  return (
    a.fg === b.fg &&
    a.bg === b.bg &&
    a.bold === b.bold &&
    a.dim === b.dim &&
    a.italic === b.italic &&
    a.underline === b.underline &&
    a.blink === b.blink &&
    a.inverse === b.inverse &&
    a.hidden === b.hidden &&
    a.strike === b.strike &&
    a.link === b.link
  );
}

/** Applies one SGR parameter list (`1;38;5;196`, colon sub-parameters too) to a style. */
export function applySgr(prev: Style, params: string): Style {
  const s: Style = { ...prev };
  const parts = params === "" ? ["0"] : params.split(";");
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const sub = part.split(":");
    const code = Number.parseInt(sub[0] || "0", 10);
    if (code === 38 || code === 48 || code === 58) {
      let color: Color | null = null;
      if (sub.length > 1) {
        // Colon form: 38:5:n or 38:2:[colorspace]:r:g:b
        const nums = sub.slice(1).map((x) => Number.parseInt(x || "0", 10));
        if (nums[0] === 5) color = clamp(nums[1] ?? 0);
        else if (nums[0] === 2) {
          const rgb = nums.length >= 5 ? nums.slice(2, 5) : nums.slice(1, 4);
          color = rgbHex(rgb[0] ?? 0, rgb[1] ?? 0, rgb[2] ?? 0);
        }
      } else if (parts[i + 1] === "5") {
        color = clamp(Number.parseInt(parts[i + 2] ?? "0", 10));
        i += 2;
      } else if (parts[i + 1] === "2") {
        color = rgbHex(num(parts[i + 2]), num(parts[i + 3]), num(parts[i + 4]));
        i += 4;
      }
      if (code === 38) s.fg = color;
      else if (code === 48) s.bg = color;
      continue;
    }
    switch (true) {
      case code === 0:
        // A reset ends attributes, not a hyperlink (only OSC 8 ends that).
        Object.assign(s, DEFAULT_STYLE, { link: s.link });
        break;
      case code === 1:
        s.bold = true;
        break;
      case code === 2:
        s.dim = true;
        break;
      case code === 3:
        s.italic = true;
        break;
      case code === 4:
        s.underline = sub[1] !== "0";
        break;
      case code === 5 || code === 6:
        s.blink = true;
        break;
      case code === 7:
        s.inverse = true;
        break;
      case code === 8:
        s.hidden = true;
        break;
      case code === 9:
        s.strike = true;
        break;
      case code === 21:
        s.underline = true;
        break;
      case code === 22:
        s.bold = false;
        s.dim = false;
        break;
      case code === 23:
        s.italic = false;
        break;
      case code === 24:
        s.underline = false;
        break;
      case code === 25:
        s.blink = false;
        break;
      case code === 27:
        s.inverse = false;
        break;
      case code === 28:
        s.hidden = false;
        break;
      case code === 29:
        s.strike = false;
        break;
      case code >= 30 && code <= 37:
        s.fg = code - 30;
        break;
      case code === 39:
        s.fg = null;
        break;
      case code >= 40 && code <= 47:
        s.bg = code - 40;
        break;
      case code === 49:
        s.bg = null;
        break;
      case code >= 90 && code <= 97:
        s.fg = code - 90 + 8;
        break;
      case code >= 100 && code <= 107:
        s.bg = code - 100 + 8;
        break;
      default:
        break;
    }
  }
  return s;
}

/** The sequence that sets a style from the default state ("" for the default style): OSC 8, then SGR. */
export function sgrOf(s: Style): string {
  if (isDefault(s)) return "";
  const link = s.link === null ? "" : `\x1b]8;;${s.link}\x1b\\`;
  if (isDefault({ ...s, link: null })) return link;
  const codes: string[] = [];
  if (s.bold) codes.push("1");
  if (s.dim) codes.push("2");
  if (s.italic) codes.push("3");
  if (s.underline) codes.push("4");
  if (s.blink) codes.push("5");
  if (s.inverse) codes.push("7");
  if (s.hidden) codes.push("8");
  if (s.strike) codes.push("9");
  if (s.fg !== null) codes.push(colorCode(38, s.fg));
  if (s.bg !== null) codes.push(colorCode(48, s.bg));
  return `${link}\x1b[${codes.join(";")}m`;
}

function colorCode(base: 38 | 48, c: Color): string {
  if (typeof c === "number") return `${base};5;${c}`;
  const n = Number.parseInt(c.slice(1), 16);
  return `${base};2;${(n >> 16) & 255};${(n >> 8) & 255};${n & 255}`;
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

function num(s: string | undefined): number {
  const n = Number.parseInt(s ?? "0", 10);
  return Number.isFinite(n) ? n : 0;
}

function clamp(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.min(255, n)) : 0;
}

function rgbHex(r: number, g: number, b: number): string {
  const h = (x: number) => clamp(x).toString(16).padStart(2, "0");
  return `#${h(r)}${h(g)}${h(b)}`;
}

/** Dark-theme palette for the 16 base colours (xterm-like, tuned for contrast on #0b0e14). */
const BASE16 = [
  "#1c1f26", "#e5534b", "#57ab5a", "#c69026", "#539bf5", "#b083f0", "#39c5cf", "#c5cbd3",
  "#636e7b", "#ff6a69", "#6bc46d", "#daaa3f", "#6cb6ff", "#dcbdfb", "#56d4dd", "#f0f3f6",
];

/** CSS colour of a palette index or truecolor value (xterm 256-colour cube and grey ramp). */
export function cssColor(c: Color): string {
  if (typeof c === "string") return c;
  if (c < 16) return BASE16[c]!;
  if (c < 232) {
    const i = c - 16;
    const v = (x: number) => (x === 0 ? 0 : 55 + x * 40);
    return rgbHex(v(Math.floor(i / 36)), v(Math.floor(i / 6) % 6), v(i % 6));
  }
  const g = 8 + (c - 232) * 10;
  return rgbHex(g, g, g);
}
