import { chmodSync, closeSync, openSync, rmSync } from "node:fs";
import Database from "better-sqlite3";
import { log } from "../log.ts";

/** A line a pane printed, as the index keeps it. */
export interface IndexedLine {
  pane: string;
  session: string;
  agent: string;
  state: string;
  at: number;
  seq: number;
  text: string;
}

export interface SearchFilter {
  /** Whether the asker may see a session (session limits). */
  sessionVisible: (session: string) => boolean;
  panes?: readonly string[];
  sessions?: readonly string[];
  agents?: readonly string[];
  states?: readonly string[];
  since?: number;
  until?: number;
}

export interface IndexOptions {
  /** SQLite's page cache: what the index holds in memory, whatever its size on disk. */
  cacheMb: number;
  /** The index's size on disk; past it the oldest lines go first. */
  maxMb: number;
}

/** Bumped when the tables change: an index of another version is dropped and rebuilt from the recordings. */
const SCHEMA_VERSION = 2;

/**
 * Row ids are the time: `at * 1024 + n`, so "newest first" and a time range are the full-text
 * index's own rowid order and range, and a query stops at its limit instead of sorting every match.
 */
const PER_MS = 1024;

/**
 * Full-text search over what panes printed: SQLite FTS5 (through better-sqlite3) in one file beside
 * the recordings. It lives on disk, so a restart opens it instead of re-indexing, and its memory is
 * SQLite's page cache (`cacheMb`) whatever the recordings hold. Each line is stored once in `lines`
 * (text and who printed it) and indexed by the external-content `lines_fts`; triggers keep the two
 * in step. `progress` says, per pane, up to which record the recordings are indexed.
 */
export class SearchIndex {
  private readonly db: Database.Database;
  private readonly maxBytes: number;
  private readonly stmt: ReturnType<SearchIndex["prepare"]>;
  private nextLow = 0;
  private addedSinceTrim = 0;
  private lastTrim = 0;

  constructor(file: string, opts: IndexOptions) {
    this.maxBytes = opts.maxMb * 1024 * 1024;
    this.db = openIndex(file, opts.cacheMb);
    this.stmt = this.prepare();
  }

  private prepare() {
    const db = this.db;
    return {
      insert: db.prepare<[number, string, string, string, string, number, number, string]>("INSERT OR IGNORE INTO lines(id, pane, session, agent, state, at, seq, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
      session: db.prepare<[string]>("INSERT OR IGNORE INTO sessions(name) VALUES (?)"),
      progress: db.prepare<[string, number, number]>("INSERT INTO progress(pane, at, seq) VALUES (?, ?, ?) ON CONFLICT(pane) DO UPDATE SET at = excluded.at, seq = excluded.seq WHERE excluded.at > progress.at OR (excluded.at = progress.at AND excluded.seq > progress.seq)"),
      progressOf: db.prepare<[string], { at: number; seq: number }>("SELECT at, seq FROM progress WHERE pane = ?"),
      panes: db.prepare<[], { pane: string }>("SELECT pane FROM progress"),
      dropBefore: db.prepare<[string, number]>("DELETE FROM lines WHERE pane = ? AND at < ?"),
      dropPane: db.prepare<[string]>("DELETE FROM lines WHERE pane = ?"),
      dropProgress: db.prepare<[string]>("DELETE FROM progress WHERE pane = ?"),
      dropOldest: db.prepare<[number]>("DELETE FROM lines WHERE id IN (SELECT id FROM lines ORDER BY id LIMIT ?)"),
      merge: db.prepare("INSERT INTO lines_fts(lines_fts, rank) VALUES ('merge', -500)"),
      sessions: db.prepare<[], { name: string }>("SELECT name FROM sessions"),
      count: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM lines"),
    };
  }

  /** Lines in the index. */
  get size(): number {
    return this.stmt.count.get()!.n;
  }

  /** Bytes the index uses on disk (pages in use; freed pages are reused before the file grows). */
  get bytes(): number {
    const used = (this.db.pragma("page_count", { simple: true }) as number) - (this.db.pragma("freelist_count", { simple: true }) as number);
    return used * (this.db.pragma("page_size", { simple: true }) as number);
  }

  /**
   * Adds lines and moves each pane's progress, in one transaction (lines and progress never
   * disagree, even after a crash). A line whose id is taken moves to the next free id of its ms.
   */
  add(lines: readonly IndexedLine[], progress: ReadonlyMap<string, { at: number; seq: number }>): void {
    if (lines.length === 0 && progress.size === 0) return;
    this.addedSinceTrim += lines.length;
    this.db.transaction(() => {
      const seen = new Set<string>();
      for (const l of lines) {
        if (!seen.has(l.session)) {
          seen.add(l.session);
          this.stmt.session.run(l.session);
        }
        for (let tries = 0; tries < PER_MS; tries++) {
          const id = l.at * PER_MS + (this.nextLow++ % PER_MS);
          if (this.stmt.insert.run(id, l.pane, l.session, l.agent, l.state, l.at, l.seq, l.text).changes > 0) break;
        }
      }
      for (const [pane, p] of progress) this.stmt.progress.run(pane, p.at, p.seq);
    })();
  }

  /** The last record of a pane that is indexed; null when none is. */
  progressOf(pane: string): { at: number; seq: number } | null {
    return this.stmt.progressOf.get(pane) ?? null;
  }

  /** Panes with anything indexed. */
  panes(): string[] {
    return this.stmt.panes.all().map((r) => r.pane);
  }

  /** A pane's recordings before `at` were deleted: so are its lines. */
  dropBefore(pane: string, at: number): void {
    this.stmt.dropBefore.run(pane, at);
  }

  /** A pane has no recordings left: its lines and progress go. */
  dropPane(pane: string): void {
    this.db.transaction(() => {
      this.stmt.dropPane.run(pane);
      this.stmt.dropProgress.run(pane);
    })();
  }

  /**
   * Past its size on disk, deletes the oldest lines (the share over the bound and a tenth more) and
   * merges the full-text index's segments (a deletion there is a tombstone until they merge, so the
   * pages in use fall only then). It trims again only once a quarter as many lines came in (the merge may
   * not have freed everything yet), so the index stays within about a tenth of the bound.
   */
  enforceSize(): number {
    const bytes = this.bytes;
    if (this.addedSinceTrim < this.lastTrim / 4 || bytes <= this.maxBytes) return 0;
    // The share of lines over the bound, and a tenth more as room for what comes next.
    const n = Math.max(1, Math.ceil(this.size * Math.min(1, (bytes - this.maxBytes) / bytes + 0.1)));
    this.db.transaction(() => {
      this.stmt.dropOldest.run(n);
      this.stmt.merge.run();
    })();
    this.lastTrim = n;
    this.addedSinceTrim = 0;
    return n;
  }

  /**
   * Matching lines, newest first; every word must match, the last one as a prefix. Words are
   * quoted, so FTS5's query syntax never reaches the index from the asker.
   */
  search(query: string, f: SearchFilter, limit: number): IndexedLine[] {
    const match = ftsQuery(query);
    if (!match) return [];
    const sessions = this.stmt.sessions.all().map((r) => r.name).filter((s) => f.sessionVisible(s) && (!f.sessions || f.sessions.includes(s)));
    if (sessions.length === 0) return [];
    const where = ["lines_fts MATCH ?", "l.session IN (SELECT value FROM json_each(?))"];
    const args: Array<string | number> = [match, JSON.stringify(sessions)];
    const within = (col: string, values: readonly string[] | undefined) => {
      if (!values) return;
      where.push(`l.${col} IN (SELECT value FROM json_each(?))`);
      args.push(JSON.stringify(values));
    };
    within("pane", f.panes);
    within("agent", f.agents);
    within("state", f.states);
    if (f.since !== undefined) {
      where.push("lines_fts.rowid >= ?");
      args.push(Math.max(0, Math.floor(f.since)) * PER_MS);
    }
    if (f.until !== undefined) {
      where.push("lines_fts.rowid < ?");
      args.push((Math.max(0, Math.floor(f.until)) + 1) * PER_MS);
    }
    args.push(limit);
    const sql = `SELECT l.pane, l.session, l.agent, l.state, l.at, l.seq, l.text FROM lines_fts JOIN lines l ON l.id = lines_fts.rowid WHERE ${where.join(" AND ")} ORDER BY lines_fts.rowid DESC LIMIT ?`;
    return this.db.prepare<Array<string | number>, IndexedLine>(sql).all(...args);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** `ECONNREFUSED port 54` → `"ECONNREFUSED" "port" "54"*`; null when no word has a letter or digit. */
export function ftsQuery(text: string): string | null {
  const words = text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length === 0) return null;
  return words.map((w, i) => `"${w.replaceAll('"', '""')}"${i === words.length - 1 ? "*" : ""}`).join(" ");
}

/** Opens (or makes) the index; one that is damaged or of another version is deleted and made anew (the recordings refill it). */
function openIndex(file: string, cacheMb: number): Database.Database {
  for (let attempt = 0; ; attempt++) {
    try {
      closeSync(openSync(file, "a", 0o600));
      chmodSync(file, 0o600);
      const db = new Database(file);
      try {
        db.pragma("journal_mode = WAL");
        db.pragma("synchronous = NORMAL");
        db.pragma(`cache_size = ${-Math.max(1, cacheMb) * 1024}`);
        db.pragma("temp_store = MEMORY");
        if ((db.pragma("user_version", { simple: true }) as number) !== SCHEMA_VERSION) {
          db.exec("DROP TABLE IF EXISTS lines_fts; DROP TABLE IF EXISTS lines; DROP TABLE IF EXISTS progress; DROP TABLE IF EXISTS sessions;");
          db.exec(SCHEMA);
          db.pragma(`user_version = ${SCHEMA_VERSION}`);
        }
        db.prepare("SELECT count(*) FROM lines_fts WHERE lines_fts MATCH 'x'").get();
        return db;
      } catch (err) {
        db.close();
        throw err;
      }
    } catch (err) {
      if (attempt > 0) throw err;
      log.warn({ err, file }, "search index unreadable: made anew from the recordings");
      for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    }
  }
}

/**
 * Prefixes of 1 to 3 characters have their own index (`prefix`): the last word of a query is a
 * prefix, and a short one ("item_4") would otherwise merge the lists of thousands of terms.
 */
const SCHEMA = `
CREATE TABLE lines(id INTEGER PRIMARY KEY, pane TEXT NOT NULL, session TEXT NOT NULL, agent TEXT NOT NULL, state TEXT NOT NULL, at INTEGER NOT NULL, seq INTEGER NOT NULL, text TEXT NOT NULL);
CREATE INDEX lines_pane_at ON lines(pane, at);
CREATE VIRTUAL TABLE lines_fts USING fts5(text, content='lines', content_rowid='id', tokenize='unicode61', prefix='1 2 3');
CREATE TRIGGER lines_ai AFTER INSERT ON lines BEGIN INSERT INTO lines_fts(rowid, text) VALUES (new.id, new.text); END;
CREATE TRIGGER lines_ad AFTER DELETE ON lines BEGIN INSERT INTO lines_fts(lines_fts, rowid, text) VALUES ('delete', old.id, old.text); END;
CREATE TABLE progress(pane TEXT PRIMARY KEY, at INTEGER NOT NULL, seq INTEGER NOT NULL);
CREATE TABLE sessions(name TEXT PRIMARY KEY);
`;
