"use client";

import { useEffect, useRef, useState } from "react";
import { MuteMatcher, muteTargetOf, targetOfPane, type MuteTarget } from "@/lib/mute";
import type { AgentType, MuteRule, PaneInfo } from "@/lib/protocol";
import { useFleet } from "./fleet";
import { addRule, mutePane, removeRule, ruleLabel, unmutePane, useMuteMatcher, useMutePrefs, type MutePrefs } from "./mute-prefs";

const REASON: Record<string, string> = { pane: "this pane", pattern: "a pattern", type: "its type", "non-agent": "not an agent (muted by default)" };

/**
 * A card's (or list row's) mute menu: this pane, its session, its agent type; in this browser only.
 * It opens on demand and reads the topology then, so a card pays nothing for it while closed.
 */
export function MuteMenu({ info, muted }: { info: PaneInfo; muted: boolean }) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: Event) => {
      if (e instanceof KeyboardEvent ? e.key === "Escape" : !box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("pointerdown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);
  return (
    <div ref={box} className="relative shrink-0">
      <button
        type="button"
        data-testid="mute-menu-toggle"
        aria-expanded={open}
        aria-label={`mute options for ${info.agentId ?? info.id}`}
        title={muted ? "muted in this browser" : "mute"}
        onClick={() => setOpen((o) => !o)}
        className={`rounded px-1.5 py-0.5 text-[10px] hover:bg-edge hover:text-fg pointer-coarse:min-h-9 pointer-coarse:min-w-9 ${muted ? "text-amber-300" : "text-muted"}`}
      >
        {muted ? "muted" : "mute"}
      </button>
      {open && <MuteOptions info={info} onDone={() => setOpen(false)} />}
    </div>
  );
}

function MuteOptions({ info, onDone }: { info: PaneInfo; onDone: () => void }) {
  const { mirror, state } = useFleet();
  const prefs = useMutePrefs();
  const matcher = useMuteMatcher();
  const status = state.status[info.id];
  const type: AgentType = status?.agentType ?? info.agentType;
  const target = { ...(muteTargetOf(mirror.topology, info.id) ?? targetOfPane(info, null)), agentType: type, state: status?.state };
  const reason = matcher.reason(target);
  const session: MuteRule = { kind: "pattern", pattern: `${info.sessionName}:*` };
  const byType: MuteRule = { kind: "type", type };
  const has = (r: MuteRule) => prefs.rules.some((x) => JSON.stringify(x) === JSON.stringify(r));
  const act = (f: () => void) => () => {
    f();
    onDone();
  };
  const item = "block w-full rounded px-2 py-1 text-left hover:bg-edge pointer-coarse:py-2";
  return (
    <div data-testid="mute-menu" role="menu" className="absolute right-0 top-full z-30 mt-1 w-56 rounded border border-edge bg-panel p-1 text-xs shadow-xl">
      <p className="px-2 py-1 text-[10px] text-muted">
        {reason ? `Muted in this browser: ${REASON[reason]}.` : "Heard in this browser."} Muted panes leave the counts and raise no notification here.
      </p>
      {reason ? (
        <button type="button" role="menuitem" data-testid="unmute-pane" className={item} onClick={act(() => unmutePane(info.id, stillMuted(prefs, target)))}>
          Hear this pane
        </button>
      ) : (
        <button type="button" role="menuitem" data-testid="mute-pane" className={item} onClick={act(() => mutePane(info.id))}>
          Mute this pane
        </button>
      )}
      <button type="button" role="menuitem" data-testid="mute-session" className={item} onClick={act(() => (has(session) ? removeRule(session) : addRule(session)))}>
        {has(session) ? "Unmute" : "Mute"} session {info.sessionName} ({ruleLabel(session)})
      </button>
      <button type="button" role="menuitem" data-testid="mute-type" className={item} onClick={act(() => (has(byType) ? removeRule(byType) : addRule(byType)))}>
        {has(byType) ? "Unmute" : "Mute"} every {type} pane
      </button>
    </div>
  );
}

/** Whether a pane would stay muted without its own pane rule: then hearing it needs an exception. */
function stillMuted(prefs: MutePrefs, t: MuteTarget): boolean {
  const rules = prefs.rules.filter((r) => !(r.kind === "pane" && r.pane === t.pane));
  return new MuteMatcher(rules, { nonAgents: prefs.nonAgents, unmuted: prefs.unmuted.filter((p) => p !== t.pane) }).muted(t);
}
