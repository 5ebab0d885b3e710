/**
 * A moment as people and the CLI write it: a duration back from now (`90s`, `10m`, `2h`, `1d`), an
 * ISO 8601 time, or milliseconds since the epoch. Null when it is none of those.
 */
export function parseWhen(s: string, now = Date.now()): number | null {
  const d = /^(\d{1,9})(s|m|h|d)$/.exec(s);
  if (d) return now - Number(d[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[d[2] as "s" | "m" | "h" | "d"];
  if (/^\d{10,15}$/.test(s)) return Number(s);
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(s)) {
    const t = Date.parse(s);
    return Number.isFinite(t) ? t : null;
  }
  return null;
}
