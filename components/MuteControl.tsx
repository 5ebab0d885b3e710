"use client";

import { useState } from "react";
import { MUTE_PATTERN } from "@/lib/mute";
import { AGENT_TYPES, type AgentType } from "@/lib/protocol";
import { useSummary } from "./fleet";
import { addRule, removeRule, ruleLabel, updateMutePrefs, useMutePrefs } from "./mute-prefs";

/**
 * The main page's mute control: how many panes this browser mutes, and, opened, its rules: non-agent
 * panes (on by default), globs over session and window names, agent types, single panes.
 */
export function MuteControl() {
  const prefs = useMutePrefs();
  const { muted } = useSummary();
  const [open, setOpen] = useState(false);
  const [pattern, setPattern] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const add = () => {
    const p = pattern.trim();
    if (!MUTE_PATTERN.test(p)) return setProblem("A glob such as build-* or infra:*, at most 100 characters.");
    addRule({ kind: "pattern", pattern: p });
    setPattern("");
    setProblem(null);
  };
  return (
    <div className="relative text-xs">
      <button
        type="button"
        data-testid="mute-control"
        data-muted={muted}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        title="panes muted in this browser: out of the counts, no notifications here"
        className="rounded border border-edge px-2 py-0.5 text-muted hover:text-fg pointer-coarse:py-1.5"
      >
        {muted} muted
      </button>
      {open && (
        <div data-testid="mute-panel" className="absolute left-0 top-full z-30 mt-1 w-72 max-w-[90vw] rounded border border-edge bg-panel p-2 text-xs shadow-xl">
          <p className="mb-2 text-[10px] text-muted">In this browser only. Web Push and webhooks follow the server&apos;s notify.mute.</p>
          <label className="mb-2 flex items-center gap-2">
            <input type="checkbox" data-testid="mute-non-agents" checked={prefs.nonAgents} onChange={(e) => updateMutePrefs((c) => ({ ...c, nonAgents: e.target.checked }))} />
            mute non-agent panes (shells, builds)
          </label>
          <ul className="mb-2 flex flex-col gap-1">
            {prefs.rules.length === 0 && <li className="text-muted">No rules.</li>}
            {prefs.rules.map((r) => (
              <li key={JSON.stringify(r)} data-testid="mute-rule" data-kind={r.kind} className="flex items-center gap-2">
                <span className="min-w-0 flex-1 truncate font-mono">{ruleLabel(r)}</span>
                <button type="button" data-testid="mute-rule-remove" aria-label={`unmute ${ruleLabel(r)}`} className="text-muted hover:text-fg" onClick={() => removeRule(r)}>
                  ✕
                </button>
              </li>
            ))}
          </ul>
          <form
            className="mb-2 flex gap-1"
            onSubmit={(e) => {
              e.preventDefault();
              add();
            }}
          >
            <input
              data-testid="mute-pattern"
              value={pattern}
              onChange={(e) => setPattern(e.target.value)}
              placeholder="build-*  or  infra:*"
              aria-label="mute panes whose session or window matches"
              className="min-w-0 flex-1 rounded border border-edge bg-ink px-1.5 py-0.5 font-mono text-fg"
            />
            <button type="submit" data-testid="mute-pattern-add" className="rounded border border-edge px-2 hover:bg-edge">
              mute
            </button>
          </form>
          {problem && <p className="mb-2 text-red-300">{problem}</p>}
          <label className="flex items-center gap-2 text-muted">
            mute type
            <select
              data-testid="mute-type-select"
              value=""
              onChange={(e) => e.target.value && addRule({ kind: "type", type: e.target.value as AgentType })}
              className="rounded border border-edge bg-panel px-1 py-0.5 text-fg"
            >
              <option value="">choose…</option>
              {AGENT_TYPES.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
          {prefs.unmuted.length > 0 && (
            <p className="mt-2 flex items-center gap-2 text-muted">
              {prefs.unmuted.length} pane{prefs.unmuted.length === 1 ? "" : "s"} heard against the rules
              <button type="button" className="underline" onClick={() => updateMutePrefs((c) => ({ ...c, unmuted: [] }))}>
                reset
              </button>
            </p>
          )}
        </div>
      )}
    </div>
  );
}
