export interface QuietHours {
  start: string;
  end: string;
  /** An IANA time zone; null: the server's. */
  timezone: string | null;
}

/**
 * Whether `at` falls in the quiet hours: from start (inclusive) to end (exclusive), in the given
 * time zone. A window across midnight (22:00–07:00) wraps; start equal to end is quiet all day.
 */
export function inQuietHours(q: QuietHours | null, at: Date = new Date()): boolean {
  if (!q) return false;
  const minutes = minutesOfDay(at, q.timezone);
  const start = toMinutes(q.start);
  const end = toMinutes(q.end);
  if (start === end) return true;
  return start < end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return h! * 60 + m!;
}

function minutesOfDay(at: Date, timezone: string | null): number {
  const parts = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", ...(timezone ? { timeZone: timezone } : {}) }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return get("hour") * 60 + get("minute");
}
