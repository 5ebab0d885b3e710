import { statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ftsQuery, SearchIndex, type IndexedLine } from "../../../lib/recorder/search-index.ts";
import { scratchDir } from "../../helpers/recording.ts";

const open: SearchIndex[] = [];
afterEach(() => {
  for (const i of open.splice(0)) i.close();
});

function indexAt(file = path.join(scratchDir(), "index.sqlite"), maxMb = 1024): SearchIndex {
  const i = new SearchIndex(file, { cacheMb: 2, maxMb });
  open.push(i);
  return i;
}

const T0 = Date.UTC(2026, 0, 1);
const all = { sessionVisible: () => true };

function line(over: Partial<IndexedLine> & { text: string; at: number }): IndexedLine {
  return { pane: "%1", session: "alpha", agent: "claude", state: "working", seq: 1, ...over };
}

function add(i: SearchIndex, lines: IndexedLine[]): void {
  const last = new Map<string, { at: number; seq: number }>();
  for (const l of lines) last.set(l.pane, { at: l.at, seq: l.seq });
  i.add(lines, last);
}

describe("SearchIndex (SQLite FTS5)", () => {
  it("finds lines where every word matches, the last as a prefix, newest first", () => {
    const i = indexAt();
    add(i, [
      line({ text: "connect ECONNREFUSED 127.0.0.1:5432", at: T0 + 1000, seq: 1 }),
      line({ text: "retrying the build", at: T0 + 2000, seq: 2 }),
      line({ text: "Error: connect ECONNREFUSED again", at: T0 + 3000, seq: 3 }),
    ]);
    expect(i.search("econnrefused", all, 10).map((h) => h.seq)).toEqual([3, 1]);
    expect(i.search("connect ECONNREF", all, 10).map((h) => h.seq)).toEqual([3, 1]);
    expect(i.search("ECONNREFUSED retry", all, 10)).toEqual([]);
    expect(i.search("ECONNREFUSED", all, 1).map((h) => h.seq)).toEqual([3]);
    expect(i.search("retry", all, 10)[0]).toEqual({ pane: "%1", session: "alpha", agent: "claude", state: "working", at: T0 + 2000, seq: 2, text: "retrying the build" });
  });

  it("takes the asker's words literally: FTS5 syntax and quotes match as text, never as operators", () => {
    const i = indexAt();
    add(i, [line({ text: 'say "hi" OR NEAR(x y) col:value', at: T0, seq: 1 }), line({ text: "unrelated", at: T0 + 1, seq: 2 })]);
    expect(ftsQuery('a"b OR')).toBe('"a""b" "OR"*');
    expect(ftsQuery("-- ** ::")).toBeNull();
    expect(i.search('"hi" OR', all, 10).map((h) => h.seq)).toEqual([1]);
    expect(i.search("NEAR(x col:value", all, 10).map((h) => h.seq)).toEqual([1]);
    expect(i.search("unrelated OR say", all, 10)).toEqual([]);
    expect(i.search("*", all, 10)).toEqual([]);
  });

  it("applies session limits and the pane, session, agent, state and time filters", () => {
    const i = indexAt();
    add(i, [
      line({ pane: "%1", session: "alpha", agent: "claude", state: "working", text: "deploy done", at: T0 + 1, seq: 1 }),
      line({ pane: "%2", session: "beta", agent: "codex", state: "error", text: "deploy failed", at: T0 + 2, seq: 2 }),
      line({ pane: "%3", session: "secret", agent: "claude", state: "idle", text: "deploy secret", at: T0 + 3, seq: 3 }),
    ]);
    const seqs = (f: Parameters<SearchIndex["search"]>[1]) => i.search("deploy", f, 10).map((h) => h.seq);
    const limited = { sessionVisible: (s: string) => s !== "secret" };
    expect(seqs(all)).toEqual([3, 2, 1]);
    expect(seqs(limited)).toEqual([2, 1]);
    expect(seqs({ ...limited, sessions: ["secret"] })).toEqual([]);
    expect(seqs({ ...all, panes: ["%2", "%3"] })).toEqual([3, 2]);
    expect(seqs({ ...all, agents: ["claude"] })).toEqual([3, 1]);
    expect(seqs({ ...all, states: ["error"] })).toEqual([2]);
    expect(seqs({ ...all, since: T0 + 2 })).toEqual([3, 2]);
    expect(seqs({ ...all, until: T0 + 2 })).toEqual([2, 1]);
  });

  it("keeps lines printed in the same millisecond apart", () => {
    const i = indexAt();
    add(i, Array.from({ length: 50 }, (_, n) => line({ pane: `%${n % 3}`, text: `same ms ${n}`, at: T0, seq: n })));
    expect(i.size).toBe(50);
    expect(i.search("same", all, 100)).toHaveLength(50);
  });

  it("drops a pane's lines with its deleted recordings", () => {
    const i = indexAt();
    add(i, [line({ pane: "%1", text: "old one", at: T0, seq: 1 }), line({ pane: "%1", text: "new one", at: T0 + 10, seq: 2 }), line({ pane: "%2", text: "other one", at: T0, seq: 3 })]);
    i.dropBefore("%1", T0 + 10);
    expect(i.search("one", all, 10).map((h) => h.text)).toEqual(["new one", "other one"]);
    i.dropPane("%2");
    expect(i.search("one", all, 10).map((h) => h.text)).toEqual(["new one"]);
    expect(i.panes()).toEqual(["%1"]);
    expect(i.progressOf("%2")).toBeNull();
  });

  // A few thousand rows through SQLite: seconds on a loaded machine, hence the longer timeout.
  it("stays within about its size on disk, the oldest lines going first", { timeout: 60_000 }, () => {
    const i = indexAt(undefined, 0.125);
    let most = 0;
    for (let b = 0; b < 20; b++) {
      add(i, Array.from({ length: 100 }, (_, n) => line({ text: `batch${b} row${n} ${"lorem ipsum dolor sit amet ".repeat(3)} ${b * 100 + n}`, at: T0 + b * 1000 + n, seq: b * 100 + n })));
      i.enforceSize();
      most = Math.max(most, i.bytes);
    }
    expect(most).toBeLessThanOrEqual(1.25 * 0.125 * 1024 * 1024);
    expect(i.size).toBeLessThan(2000);
    expect(i.search("batch19", all, 1)).toHaveLength(1);
    expect(i.search("batch0", all, 1)).toHaveLength(0);
  });

  it("is on disk (0600): reopened, it answers the same and knows each pane's progress", () => {
    const file = path.join(scratchDir(), "index.sqlite");
    const a = indexAt(file);
    add(a, [line({ text: "persisted words", at: T0 + 5, seq: 7 })]);
    a.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const b = indexAt(file);
    expect(b.search("persisted", all, 10).map((h) => h.seq)).toEqual([7]);
    expect(b.progressOf("%1")).toEqual({ at: T0 + 5, seq: 7 });
  });

  it("makes a damaged index file anew (the recordings refill it) instead of failing", () => {
    const file = path.join(scratchDir(), "index.sqlite");
    writeFileSync(file, "this is not a database ".repeat(500));
    const i = indexAt(file);
    expect(i.size).toBe(0);
    add(i, [line({ text: "fresh start", at: T0, seq: 1 })]);
    expect(i.search("fresh", all, 10)).toHaveLength(1);
  });
});
