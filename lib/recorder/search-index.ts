import MiniSearch from "minisearch";
import { stripAnsi } from "../ansi.ts";
import type { PaneDelta } from "../protocol.ts";

/** A line a pane printed, as the index keeps it. */
export interface IndexedLine {
  id: number;
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

/** Lines remembered per pane to skip a line that is only redrawn (a spinner's row, a status bar). */
const RECENT_PER_PANE = 256;

/**
 * Full-text search over what panes printed (MiniSearch: an inverted index in memory, prefix and
 * fuzzy matching, no native code or install script). Each line that appears on a screen (a delta's
 * set lines, a keyframe's lines) is a document; a line the pane showed moments ago is not added
 * again. Bounded: past `maxLines` the oldest lines are discarded.
 */
export class SearchIndex {
  private readonly mini = new MiniSearch<IndexedLine>({
    fields: ["text"],
    storeFields: ["pane", "session", "agent", "state", "at", "seq", "text"],
    autoVacuum: { minDirtCount: 10_000, minDirtFactor: 0.2, batchSize: 5000, batchWait: 5 },
  });
  private readonly maxLines: number;
  private readonly order: number[] = [];
  private head = 0;
  private nextId = 1;
  private readonly recent = new Map<string, Set<string>>();

  constructor(maxLines: number) {
    this.maxLines = maxLines;
  }

  get size(): number {
    return this.order.length - this.head;
  }

  /** Adds the lines a screen change brought. */
  add(meta: Omit<IndexedLine, "id" | "text">, delta: PaneDelta): void {
    if (this.maxLines === 0) return;
    const lines = delta.kind === "full" ? delta.lines : delta.set.map(([, l]) => l);
    let recent = this.recent.get(meta.pane);
    if (!recent) this.recent.set(meta.pane, (recent = new Set()));
    for (const raw of lines) {
      const text = stripAnsi(raw).trim();
      if (text.length < 2 || recent.has(text)) continue;
      recent.add(text);
      if (recent.size > RECENT_PER_PANE) recent.delete(recent.values().next().value!);
      const id = this.nextId++;
      this.mini.add({ id, ...meta, text });
      this.order.push(id);
    }
    while (this.size > this.maxLines) this.mini.discard(this.order[this.head++]!);
    if (this.head > 100_000) {
      this.order.splice(0, this.head);
      this.head = 0;
    }
  }

  /** The pane went: its next screen is indexed whole again. */
  forget(pane: string): void {
    this.recent.delete(pane);
  }

  /** Matching lines, newest first; every term must match (prefix on the last one). */
  search(query: string, f: SearchFilter, limit: number): IndexedLine[] {
    const q = query.trim();
    if (q === "" || this.size === 0) return [];
    const hits = this.mini.search(q, {
      combineWith: "AND",
      prefix: (_t, i, terms) => i === terms.length - 1,
      filter: (r) => {
        const d = r as unknown as IndexedLine;
        if (f.panes && !f.panes.includes(d.pane)) return false;
        if (f.sessions && !f.sessions.includes(d.session)) return false;
        if (f.agents && !f.agents.includes(d.agent)) return false;
        if (f.states && !f.states.includes(d.state)) return false;
        if (f.since !== undefined && d.at < f.since) return false;
        if (f.until !== undefined && d.at > f.until) return false;
        return f.sessionVisible(d.session);
      },
    });
    return hits
      .map((r) => ({ id: r.id as number, pane: r.pane as string, session: r.session as string, agent: r.agent as string, state: r.state as string, at: r.at as number, seq: r.seq as number, text: r.text as string }))
      .sort((a, b) => b.at - a.at)
      .slice(0, limit);
  }
}
