"use client";

import { useState } from "react";
import type { NeedsYouItem } from "@/lib/protocol";
import { useFleet } from "./fleet";

/**
 * One button per choice the waiting screen offers (`data-testid="answer"`): a tap sends the keys
 * that choose it. The server refuses it with STALE_PROMPT when the screen moved on meanwhile.
 */
export function AnswerButtons({ item }: { item: NeedsYouItem }) {
  const conn = useFleet();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  if (item.choices.length === 0 || !item.promptHash) return null;
  const answer = async (choice: number) => {
    setBusy(true);
    setProblem(null);
    const r = await conn.answer({ pane: item.pane, itemId: item.id, choice, promptHash: item.promptHash! });
    setBusy(false);
    if ("error" in r) setProblem(r.error.code === "STALE_PROMPT" ? "The prompt changed: look again." : r.error.message);
  };
  return (
    <div className="flex flex-wrap items-center gap-1.5">
      {item.choices.map((c, i) => (
        <button
          key={`${i}-${c.label}`}
          type="button"
          data-testid="answer"
          disabled={busy}
          title={`sends ${c.keys.join(" ")}`}
          onClick={() => void answer(i)}
          className="min-h-8 max-w-full truncate rounded border border-amber-600/70 bg-warn-soft px-2.5 py-1 text-xs text-warn hover:bg-amber-900/60 disabled:opacity-50"
        >
          {c.label}
        </button>
      ))}
      {problem && (
        <span data-testid="answer-problem" role="status" className="text-[11px] text-red-300">
          {problem}
        </span>
      )}
    </div>
  );
}
