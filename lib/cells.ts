import { eastAsianWidth } from "get-east-asian-width";

/**
 * Terminal cells: how many columns a character takes (East Asian Wide and Fullwidth characters, and
 * emoji, take two; combining marks none), as tmux lays a screen out. Pure, shared by server and browser.
 */

/** Zero-width: combining marks, variation selectors, zero-width joiner and spaces. */
const ZERO = /^[\p{Mn}\p{Me}\u200b-\u200d\u2060\ufe00-\ufe0f]$/u;

export function cellWidth(ch: string): 0 | 1 | 2 {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x300) return 1;
  if (ZERO.test(ch)) return 0;
  return eastAsianWidth(cp, { ambiguousAsWide: false }) === 2 ? 2 : 1;
}

/** A run of text: narrow glyphs together, each wide glyph (with any zero-width marks after it) alone. */
export interface Run {
  text: string;
  wide: boolean;
}

export function splitWide(text: string): Run[] {
  // Fast path: nothing beyond Latin-1 can be wide.
  if (!/[^\u0000-\u02ff]/.test(text)) return [{ text, wide: false }];
  const runs: Run[] = [];
  let narrow = "";
  let last: Run | null = null;
  for (const ch of text) {
    const w = cellWidth(ch);
    if (w === 0 && last?.wide) {
      last.text += ch;
    } else if (w === 2) {
      if (narrow) runs.push({ text: narrow, wide: false });
      narrow = "";
      last = { text: ch, wide: true };
      runs.push(last);
    } else {
      narrow += ch;
      last = null;
    }
  }
  if (narrow) runs.push({ text: narrow, wide: false });
  return runs;
}

/** The text index of cell column `x` in plain text, or -1 when the text is shorter (its cell width then). */
export function indexOfCell(text: string, x: number): { index: number; width: number } {
  let col = 0;
  let i = 0;
  for (const ch of text) {
    const w = cellWidth(ch);
    if (w > 0 && col >= x) return { index: i, width: col };
    col += w;
    i += ch.length;
  }
  return { index: -1, width: col };
}

// One escape sequence at the current position (sticky): CSI, OSC (BEL or ST terminated), or 2-byte ESC.
// eslint-disable-next-line no-control-regex
const ESCAPE_AT = /\x1b(?:\[[0-9;:?<=>]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[()*+#%][0-9A-Za-z@]|[@-Z\\-_=>78]?)/y;

/**
 * Puts `mark` before the character at cell column `x` of a captured line (escape sequences take no
 * cells; wide characters two). A line shorter than x is padded with spaces to reach it.
 */
export function insertAtCell(line: string, x: number, mark: string): string {
  let col = 0;
  let i = 0;
  while (i < line.length) {
    if (line.charCodeAt(i) === 0x1b) {
      ESCAPE_AT.lastIndex = i;
      const m = ESCAPE_AT.exec(line);
      if (m && m[0].length > 0) {
        i += m[0].length;
        continue;
      }
    }
    const ch = String.fromCodePoint(line.codePointAt(i)!);
    const w = cellWidth(ch);
    if (w > 0 && col >= x) return line.slice(0, i) + mark + line.slice(i);
    col += w;
    i += ch.length;
  }
  return line + " ".repeat(Math.max(0, x - col)) + mark;
}
