"use client";

import { useCallback, useEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from "react";
import type { RecordingOutline } from "@/lib/protocol";
import { useFleet } from "./fleet";
import { Screen } from "./Screen";
import { stateColor } from "./timeline-colors";

/** How far back the timeline reaches. */
const WINDOW_MS = 6 * 3_600_000;

interface Moment {
  seq: number;
  at: number;
  lines: string[];
}

/** The moment a link asked for (`?pane=%3&at=<ms>`, from "while you were away" or a search result). */
function linkedMoment(pane: string): number | null {
  const q = new URLSearchParams(window.location.search);
  const at = Number(q.get("at"));
  return q.get("pane") === pane && Number.isFinite(at) && at > 0 ? at : null;
}

/**
 * The focused pane's recorded past: the agent's states as coloured bands, alerts as marks, and a
 * cursor. Dragging the bar, or `[` and `]`, shows the screen at that moment (rebuilt by the server,
 * drawn as a Screen); `L` or "Live" returns to the stream. While rewound the root carries
 * `data-rewound`, so the live screen beside it can hide itself (a `peer` class).
 */
export function Timeline({ pane, width }: { pane: string; width: number }) {
  const conn = useFleet();
  const [outline, setOutline] = useState<(RecordingOutline & { since: number; until: number }) | null>(null);
  const [index, setIndex] = useState<number | null>(null);
  const [moment, setMoment] = useState<Moment | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const bar = useRef<HTMLDivElement>(null);
  const wanted = useRef(0);

  const load = useCallback(async (): Promise<(RecordingOutline & { since: number; until: number }) | null> => {
    const until = Date.now();
    const since = until - WINDOW_MS;
    const r = await conn.recordingFrames({ pane, at: since, until, limit: 1, outline: true });
    if ("error" in r) {
      setProblem(r.error.code === "RECORDING_NOT_FOUND" ? "nothing recorded yet" : r.error.message);
      return null;
    }
    // The bar spans what is recorded in the window: from its first frame to now.
    const o = r.data.outline ? { ...r.data.outline, since: r.data.outline.frames[0]?.[1] ?? since, until } : null;
    setOutline(o);
    setProblem(null);
    return o;
  }, [conn, pane]);

  const show = useCallback(
    async (i: number, o = outline) => {
      if (!o || o.frames.length === 0) return;
      const at = Math.max(0, Math.min(o.frames.length - 1, i));
      setIndex(at);
      const [seq] = o.frames[at]!;
      const ticket = ++wanted.current;
      const r = await conn.recordingFrames({ pane, seq, limit: 1 });
      // A later drag asked for another moment meanwhile: keep that one.
      if (ticket !== wanted.current || "error" in r) return;
      const step = r.data.steps[0];
      if (step && step.delta.kind === "full") setMoment({ seq: step.seq, at: step.at, lines: step.delta.lines });
    },
    [conn, pane, outline],
  );

  const live = useCallback(() => {
    wanted.current++;
    setIndex(null);
    setMoment(null);
  }, []);

  const stepBy = useCallback(
    async (d: number) => {
      // From live, the outline is read again, so the newest frames are in it.
      const o = index === null ? await load() : outline;
      if (!o || o.frames.length === 0) return;
      const from = index ?? o.frames.length;
      if (d > 0 && index !== null && index >= o.frames.length - 1) return live();
      await show(from + d, o);
    },
    [index, outline, load, show, live],
  );

  useEffect(() => {
    void load().then((o) => {
      const at = linkedMoment(pane);
      if (o && at !== null) void show(nearest(o.frames, at), o);
    });
    // Once per pane: the outline is read again when stepping from live.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pane]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLInputElement || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "[") void stepBy(-1);
      else if (e.key === "]") void stepBy(1);
      else if (e.key === "L" || e.key === "l") live();
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [stepBy, live]);

  const bands = useMemo(() => (outline ? bandsOf(outline) : []), [outline]);
  const span = outline ? Math.max(1, outline.until - outline.since) : 1;
  const pct = (at: number) => `${(((at - (outline?.since ?? 0)) / span) * 100).toFixed(3)}%`;

  const seekAt = (e: ReactPointerEvent<HTMLDivElement>) => {
    const el = bar.current;
    if (!el || !outline || outline.frames.length === 0) return;
    const r = el.getBoundingClientRect();
    const at = outline.since + ((e.clientX - r.left) / r.width) * span;
    void show(nearest(outline.frames, at));
  };

  const current = index !== null && outline ? outline.frames[index] : null;
  return (
    <section data-testid="timeline" data-rewound={index !== null} className="peer border-b border-edge px-4 py-2 text-xs data-[rewound=true]:flex data-[rewound=true]:min-h-0 data-[rewound=true]:flex-1 data-[rewound=true]:flex-col">
      <div className="flex items-center gap-2">
        <button type="button" onClick={() => void stepBy(-1)} className="rounded border border-edge px-1.5 hover:bg-edge" aria-label="step back ([)">
          [ ◀
        </button>
        <div
          ref={bar}
          data-testid="timeline-bar"
          className="relative h-5 flex-1 cursor-pointer overflow-hidden rounded bg-edge/40"
          onPointerDown={(e) => {
            e.currentTarget.setPointerCapture(e.pointerId);
            seekAt(e);
          }}
          onPointerMove={(e) => e.buttons === 1 && seekAt(e)}
        >
          {bands.map((b) => (
            <div key={b.from} data-testid="timeline-band" data-state={b.state} className="absolute inset-y-0 opacity-70" style={{ left: pct(b.from), width: `calc(${pct(b.to)} - ${pct(b.from)})`, background: stateColor(b.state) }} title={b.state} />
          ))}
          {outline?.marks
            .filter((m) => m.alert)
            .map((m) => (
              <div key={`${m.at}-${m.alert}`} data-testid="timeline-alert" data-alert={m.alert} className="absolute inset-y-0 w-0.5 bg-red-500" style={{ left: pct(m.at) }} title={`${m.alert}: ${m.line ?? ""}`} />
            ))}
          {current && <div data-testid="timeline-cursor" className="absolute inset-y-0 w-0.5 bg-white" style={{ left: pct(current[1]) }} />}
        </div>
        <button type="button" onClick={() => void stepBy(1)} className="rounded border border-edge px-1.5 hover:bg-edge" aria-label="step forward (])">
          ▶ ]
        </button>
        <button type="button" onClick={live} aria-pressed={index === null} className="rounded border border-edge px-2 aria-pressed:bg-accent aria-pressed:text-ink hover:bg-edge">
          Live (L)
        </button>
        <span data-testid="timeline-when" className="w-40 text-right text-muted">
          {problem ?? (moment ? `${new Date(moment.at).toLocaleTimeString()} · #${moment.seq}` : "live")}
        </span>
      </div>
      {index !== null && (
        <div className="term-surface mt-2 min-h-0 flex-1 overflow-auto p-2">
          <Screen lines={moment?.lines ?? null} data-testid="timeline-screen" data-seq={moment?.seq ?? ""} className="pane-screen text-[13px]" style={{ width: `${width}ch` }} />
        </div>
      )}
    </section>
  );
}

/** The index of the last frame at or before `at` (the first one when `at` is before them all). */
export function nearest(frames: ReadonlyArray<[number, number]>, at: number): number {
  let lo = 0;
  let hi = frames.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (frames[mid]![1] <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function bandsOf(o: RecordingOutline & { since: number; until: number }): Array<{ state: string; from: number; to: number }> {
  const out: Array<{ state: string; from: number; to: number }> = [];
  let state = o.startState;
  let from = o.since;
  for (const m of o.marks) {
    if (!m.state || m.state === state) continue;
    if (state) out.push({ state, from, to: m.at });
    state = m.state;
    from = m.at;
  }
  if (state) out.push({ state, from, to: o.until });
  return out;
}
