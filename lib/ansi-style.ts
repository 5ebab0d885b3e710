/**
 * A cell's style and SGR (pure, shared by server and browser): what a parameter list does to a style,
 * the shortest SGR that sets one, and the CSS colour of a palette index. lib/ansi.ts re-exports it.
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

export function isDefault(s: Style): boolean {
  return (
    s.fg === null && s.bg === null && !s.bold && !s.dim && !s.italic && !s.underline && !s.blink && !s.inverse && !s.hidden && !s.strike && s.link === null
  );
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
