/** FNV-1a 32 over UTF-16 code units of the lines joined by "\n". Same result on server and browser. */
export function frameHash(lines: readonly string[]): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < lines.length; i++) {
    if (i > 0) h = Math.imul(h ^ 10, 0x01000193);
    const line = lines[i]!;
    for (let j = 0; j < line.length; j++) h = Math.imul(h ^ line.charCodeAt(j), 0x01000193);
  }
  return h >>> 0;
}
