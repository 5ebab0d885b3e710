"use client";

import { useMemo, useSyncExternalStore } from "react";
import { MAX_MUTE_RULES, MUTE_PATTERN, MuteMatcher } from "@/lib/mute";
import { AGENT_TYPES, type MuteRule } from "@/lib/protocol";

/**
 * What this browser mutes, remembered per browser (localStorage), shared by every tab of it: rules
 * (a pane, a glob, an agent type), panes heard whatever the rules say, and whether non-agent panes
 * (`running`/`quiet`) are muted, as they are by default. Pushes and webhooks are muted for everyone
 * by the server's `notify.mute` instead.
 */
export interface MutePrefs {
  rules: MuteRule[];
  unmuted: string[];
  nonAgents: boolean;
}

const KEY = "panecast.mute";
const MAX_UNMUTED = 256;
const PANE_ID = /^(\S{1,64}\/)?%\d{1,9}$/;
export const DEFAULT_MUTES: MutePrefs = { rules: [], unmuted: [], nonAgents: true };

let current: MutePrefs | null = null;
const listeners = new Set<() => void>();

function valid(r: unknown): r is MuteRule {
  if (!r || typeof r !== "object") return false;
  const o = r as Record<string, unknown>;
  if (o.kind === "pane") return typeof o.pane === "string" && PANE_ID.test(o.pane);
  if (o.kind === "pattern") return typeof o.pattern === "string" && MUTE_PATTERN.test(o.pattern);
  if (o.kind === "type") return (AGENT_TYPES as readonly unknown[]).includes(o.type);
  return false;
}

function read(): MutePrefs {
  try {
    const raw = JSON.parse(window.localStorage.getItem(KEY) ?? "null") as Partial<MutePrefs> | null;
    if (!raw || typeof raw !== "object") return DEFAULT_MUTES;
    return {
      rules: Array.isArray(raw.rules) ? raw.rules.filter(valid).slice(0, MAX_MUTE_RULES) : [],
      unmuted: Array.isArray(raw.unmuted) ? raw.unmuted.filter((p): p is string => typeof p === "string" && PANE_ID.test(p)).slice(0, MAX_UNMUTED) : [],
      nonAgents: raw.nonAgents !== false,
    };
  } catch {
    return DEFAULT_MUTES;
  }
}

function subscribe(cb: () => void): () => void {
  listeners.add(cb);
  // Another tab of this browser changed them.
  const onStorage = (e: StorageEvent) => {
    if (e.key !== KEY) return;
    current = read();
    cb();
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(cb);
    window.removeEventListener("storage", onStorage);
  };
}

function snapshot(): MutePrefs {
  current ??= read();
  return current;
}

/** This browser's mutes; the defaults until the page runs in the browser. */
export function useMutePrefs(): MutePrefs {
  return useSyncExternalStore(subscribe, snapshot, () => DEFAULT_MUTES);
}

export function updateMutePrefs(change: (cur: MutePrefs) => MutePrefs): void {
  const next = change(snapshot());
  current = { rules: next.rules.slice(0, MAX_MUTE_RULES), unmuted: next.unmuted.slice(-MAX_UNMUTED), nonAgents: next.nonAgents };
  try {
    window.localStorage.setItem(KEY, JSON.stringify(current));
  } catch {
    // Storage full or off (private mode): the mutes hold for this page only.
  }
  for (const cb of listeners) cb();
}

const sameRule = (a: MuteRule, b: MuteRule) => JSON.stringify(a) === JSON.stringify(b);

export function addRule(rule: MuteRule): void {
  updateMutePrefs((c) => (c.rules.some((r) => sameRule(r, rule)) ? c : { ...c, rules: [...c.rules, rule] }));
}

export function removeRule(rule: MuteRule): void {
  updateMutePrefs((c) => ({ ...c, rules: c.rules.filter((r) => !sameRule(r, rule)) }));
}

/** Mutes one pane: a pane rule, and it is no longer heard against the rules. */
export function mutePane(pane: string): void {
  updateMutePrefs((c) => ({
    ...c,
    unmuted: c.unmuted.filter((p) => p !== pane),
    rules: c.rules.some((r) => r.kind === "pane" && r.pane === pane) ? c.rules : [...c.rules, { kind: "pane", pane }],
  }));
}

/** Hears one pane: its pane rule goes, and, when another rule or the default still mutes it, it is excepted. */
export function unmutePane(pane: string, stillMuted: boolean): void {
  updateMutePrefs((c) => ({
    ...c,
    rules: c.rules.filter((r) => !(r.kind === "pane" && r.pane === pane)),
    unmuted: stillMuted && !c.unmuted.includes(pane) ? [...c.unmuted, pane] : c.unmuted,
  }));
}

export function ruleLabel(r: MuteRule): string {
  return r.kind === "pane" ? `pane ${r.pane}` : r.kind === "pattern" ? r.pattern : `all ${r.type}`;
}

/** This browser's mutes compiled, a new matcher only when they change. */
export function useMuteMatcher(): MuteMatcher {
  const prefs = useMutePrefs();
  return useMemo(() => new MuteMatcher(prefs.rules, { nonAgents: prefs.nonAgents, unmuted: prefs.unmuted }), [prefs]);
}
