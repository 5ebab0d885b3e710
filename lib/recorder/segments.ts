import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, truncateSync, unlinkSync, writeFileSync, fsyncSync } from "node:fs";
import { readFile, rename, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { gunzip, gzip, gunzipSync, gzipSync } from "node:zlib";
import { decodeRecords, type FrameRecord } from "./records.ts";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * Segment files of one pane, under `recordings/<pane number>/`. A segment being written is
 * `<startAt>-<startSeq>.open` (plain text, appended to); a closed one is gzipped and named by its
 * range, `<startAt>-<startSeq>-<endAt>-<endSeq>.seg.gz`, so the catalog is read from names alone.
 */
export interface Segment {
  pane: string;
  file: string;
  startAt: number;
  startSeq: number;
  endAt: number;
  endSeq: number;
  bytes: number;
  closed: boolean;
}

const OPEN = /^(\d{13})-(\d{1,15})\.open$/;
const CLOSED = /^(\d{13})-(\d{1,15})-(\d{13})-(\d{1,15})\.seg\.gz$/;
const PANE_DIR = /^\d{1,9}$/;

/** `%12` → `12`: the only pane ids that reach a path. */
export function paneDir(pane: string): string | null {
  const m = /^%(\d{1,9})$/.exec(pane);
  return m ? m[1]! : null;
}

export function openName(startAt: number, startSeq: number): string {
  return `${String(startAt).padStart(13, "0")}-${startSeq}.open`;
}

export function closedName(s: Pick<Segment, "startAt" | "startSeq" | "endAt" | "endSeq">): string {
  return `${String(s.startAt).padStart(13, "0")}-${s.startSeq}-${String(s.endAt).padStart(13, "0")}-${s.endSeq}.seg.gz`;
}

/**
 * Reads the catalog at start-up: drops temporary files, cuts the torn tail of every segment a crash
 * left open, and closes (compresses) it. Returns every pane's segments, oldest first.
 */
export function openCatalog(root: string): Map<string, Segment[]> {
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const out = new Map<string, Segment[]>();
  for (const dir of readdirSync(root)) {
    if (!PANE_DIR.test(dir)) continue;
    const pane = `%${dir}`;
    const full = path.join(root, dir);
    const segs: Segment[] = [];
    for (const name of readdirSync(full)) {
      const file = path.join(full, name);
      if (name.endsWith(".tmp")) {
        unlinkSync(file);
        continue;
      }
      const c = CLOSED.exec(name);
      if (c) {
        segs.push({ pane, file, startAt: Number(c[1]), startSeq: Number(c[2]), endAt: Number(c[3]), endSeq: Number(c[4]), bytes: statSync(file).size, closed: true });
        continue;
      }
      if (OPEN.test(name)) {
        const seg = recoverOpen(pane, file);
        if (seg) segs.push(seg);
      }
    }
    segs.sort((a, b) => a.startAt - b.startAt || a.startSeq - b.startSeq);
    out.set(pane, segs);
  }
  return out;
}

/** A segment a crash left open: keep its whole records, compress it; null when nothing was whole. */
function recoverOpen(pane: string, file: string): Segment | null {
  const text = readFileSync(file, "utf8");
  const { records, validBytes, torn } = decodeRecords(text);
  if (torn) truncateSync(file, validBytes);
  if (records.length === 0 || records[0]!.t !== "k") {
    unlinkSync(file);
    return null;
  }
  const first = records[0]!;
  const last = records[records.length - 1]!;
  const seg: Segment = { pane, file, startAt: first.at, startSeq: first.seq, endAt: last.at, endSeq: last.seq, bytes: 0, closed: true };
  const gz = gzipSync(text.slice(0, validBytes));
  const target = path.join(path.dirname(file), closedName(seg));
  writeAtomicSync(target, gz);
  unlinkSync(file);
  return { ...seg, file: target, bytes: gz.length };
}

function writeAtomicSync(target: string, data: Buffer): void {
  const tmp = `${target}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600 });
  const fd = openSync(tmp, "r");
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, target);
}

/** Compresses a finished open segment into its closed name; resolves with the closed segment. */
export async function closeSegment(seg: Segment): Promise<Segment> {
  const text = await readFile(seg.file);
  const gz = await gzipAsync(text);
  const target = path.join(path.dirname(seg.file), closedName(seg));
  await writeFile(`${target}.tmp`, gz, { mode: 0o600 });
  await rename(`${target}.tmp`, target);
  await unlink(seg.file);
  return { ...seg, file: target, bytes: gz.length, closed: true };
}

/** The whole records of a segment (a closed one is gunzipped). */
export async function readSegment(seg: Segment): Promise<FrameRecord[]> {
  return (await readSegmentSized(seg)).records;
}

/** The same, with the decoded text's length (what the records take in memory, roughly). */
export async function readSegmentSized(seg: Segment): Promise<{ records: FrameRecord[]; chars: number }> {
  const raw = await readFile(seg.file);
  const text = seg.closed ? (await gunzipAsync(raw)).toString("utf8") : raw.toString("utf8");
  return { records: decodeRecords(text).records, chars: text.length };
}

/** The same, synchronously (start-up indexing). */
export function readSegmentSync(seg: Segment): FrameRecord[] {
  const raw = readFileSync(seg.file);
  return decodeRecords((seg.closed ? gunzipSync(raw) : raw).toString("utf8")).records;
}
