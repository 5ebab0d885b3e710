/**
 * Keys by line identity, not position: a line keeps its key as the screen scrolls, so React moves
 * nothing and re-renders only the lines that are new. A line is its text plus which occurrence of that
 * text it is (blank lines repeat), counted from the bottom, where a scrolling screen grows.
 */
export function lineKeys(lines: readonly string[]): string[] {
  const seen = new Map<string, number>();
  const keys = new Array<string>(lines.length);
  for (let i = lines.length - 1; i >= 0; i--) {
    const text = lines[i]!;
    const n = seen.get(text) ?? 0;
    seen.set(text, n + 1);
    keys[i] = `${n}\u0000${text}`;
  }
  return keys;
}
