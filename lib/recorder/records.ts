import { crc32 } from "node:zlib";
import type { PaneDelta } from "../protocol.ts";

/**
 * One line of a segment file: `<crc32 of the JSON, 8 hex digits> <JSON>\n`. A line whose checksum does
 * not match (a write torn by a crash) ends the readable part of its file.
 *
 * Every segment starts with a keyframe (the whole screen, and who the pane belonged to), then deltas
 * against the previous record's screen, so any moment rebuilds from one file.
 */
export interface KeyRecord {
  t: "k";
  seq: number;
  at: number;
  w: number;
  h: number;
  lines: string[];
  /** The pane's session name and agent type when the keyframe was written (session limits). */
  session: string;
  agent: string;
  /** The agent's state when the keyframe was written ("" when not known). */
  state?: string;
}

export interface DeltaRecord {
  t: "d";
  seq: number;
  at: number;
  w: number;
  h: number;
  delta: PaneDelta;
}

/** An agent state change or an alert, at the pane's frame `seq` (the timeline's bands and marks). */
export interface MarkRecord {
  t: "m";
  seq: number;
  at: number;
  state?: string;
  alert?: string;
  line?: string | null;
}

export type FrameRecord = KeyRecord | DeltaRecord | MarkRecord;

export function encodeRecord(r: FrameRecord): string {
  const json = JSON.stringify(r);
  return `${crc32(json).toString(16).padStart(8, "0")} ${json}\n`;
}

/** The records of a segment's text, up to the first damaged line; `validBytes` is where that line starts. */
export function decodeRecords(text: string): { records: FrameRecord[]; validBytes: number; torn: boolean } {
  const records: FrameRecord[] = [];
  let pos = 0;
  let validBytes = 0;
  while (pos < text.length) {
    const nl = text.indexOf("\n", pos);
    if (nl === -1) return { records, validBytes, torn: true };
    const line = text.slice(pos, nl);
    const r = decodeLine(line);
    if (!r) return { records, validBytes, torn: true };
    records.push(r);
    pos = nl + 1;
    validBytes += Buffer.byteLength(line, "utf8") + 1;
  }
  return { records, validBytes, torn: false };
}

function decodeLine(line: string): FrameRecord | null {
  if (line.length < 10 || line[8] !== " ") return null;
  const json = line.slice(9);
  if (crc32(json).toString(16).padStart(8, "0") !== line.slice(0, 8)) return null;
  try {
    const r = JSON.parse(json) as FrameRecord;
    return r.t === "k" || r.t === "d" || r.t === "m" ? r : null;
  } catch {
    return null;
  }
}
