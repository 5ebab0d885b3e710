import { parseDocument, stringify } from "yaml";
import type { HistoryDoc, HistoryEntry } from "../protocol.ts";

/** Most entries shown; the newest are kept. */
export const MAX_HISTORY_ENTRIES = 5000;

const KNOWN = ["id", "timestamp", "command", "status", "assigned_to", "assignee"] as const;

/**
 * The command history (seed 000's shogun_to_karo.yaml queue) as timeline entries, newest first.
 * Accepts `queue: [...]`, any top-level key holding a list, or a bare list; tolerates unknown fields
 * (shown as details) and entries that are not mappings. Invalid YAML gives its line number.
 */
export type ParsedHistory = Extract<HistoryDoc, { state: "invalid" }> | { state: "entries"; entries: HistoryEntry[] };

export function parseHistory(text: string): ParsedHistory {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    return { state: "invalid", message: e.message.split("\n")[0]!.slice(0, 300), line: e.linePos?.[0]?.line ?? null };
  }
  let data: unknown;
  try {
    // An alias bomb (aliases of aliases of lists) expands to billions of nodes: yaml refuses past
    // maxAliasCount, and that is an invalid file, not a server error.
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return { state: "invalid", message: err instanceof Error ? err.message.split("\n")[0]!.slice(0, 300) : "cannot be read as YAML", line: null };
  }
  const list = findList(data);
  if (list === null) {
    return data === null || data === undefined
      ? { state: "entries", entries: [] }
      : { state: "invalid", message: "expected a list of entries (for example under a `queue:` key)", line: 1 };
  }
  const entries = list.slice(-MAX_HISTORY_ENTRIES).map(toEntry);
  const stamped = entries.every((e) => e.timestamp !== null);
  entries.reverse();
  if (stamped) entries.sort((a, b) => (a.timestamp! < b.timestamp! ? 1 : a.timestamp! > b.timestamp! ? -1 : 0));
  return { state: "entries", entries };
}

function findList(data: unknown): unknown[] | null {
  if (Array.isArray(data)) return data;
  if (data && typeof data === "object") {
    const obj = data as Record<string, unknown>;
    if (Array.isArray(obj.queue)) return obj.queue;
    for (const v of Object.values(obj)) if (Array.isArray(v)) return v;
  }
  return null;
}

function toEntry(item: unknown): HistoryEntry {
  if (!item || typeof item !== "object" || Array.isArray(item)) {
    return { id: null, timestamp: null, command: scalar(item), status: null, assignee: null, details: "" };
  }
  const o = item as Record<string, unknown>;
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (!(KNOWN as readonly string[]).includes(k)) rest[k] = v;
  return {
    id: scalar(o.id),
    timestamp: o.timestamp instanceof Date ? o.timestamp.toISOString() : scalar(o.timestamp),
    command: scalar(o.command),
    status: scalar(o.status),
    assignee: scalar(o.assigned_to ?? o.assignee),
    details: Object.keys(rest).length > 0 ? stringify(rest, { lineWidth: 100 }).slice(0, 20_000) : "",
  };
}

function scalar(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v.slice(0, 10_000);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v instanceof Date) return v.toISOString();
  return stringify(v).trim().slice(0, 10_000);
}
