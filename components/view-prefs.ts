"use client";

import { useCallback, useEffect, useState } from "react";

/**
 * How the main page lays out panes, remembered per browser (localStorage). These are the page's own
 * choices, never sent to the server, so their lists live here rather than in lib/protocol.ts.
 */
export const DENSITIES = ["comfortable", "compact", "list"] as const;
export type Density = (typeof DENSITIES)[number];

/** needs-you: waiting and failing agents first; activity: the pane that changed last first; name: A–Z. */
export const SORTS = ["needs-you", "activity", "name"] as const;
export type Sort = (typeof SORTS)[number];

export interface ViewPrefs {
  density: Density;
  sort: Sort;
  /** Pane ids shown first, above the sessions. */
  pinned: string[];
}

const KEY = "panecast.view";
/** Narrower than this, the page starts as a list. */
export const NARROW = "(max-width: 640px)";
const MAX_PINNED = 64;

function load(): ViewPrefs {
  const fallback: ViewPrefs = { density: window.matchMedia(NARROW).matches ? "list" : "comfortable", sort: "needs-you", pinned: [] };
  try {
    const raw = JSON.parse(window.localStorage.getItem(KEY) ?? "null") as Partial<ViewPrefs> | null;
    if (!raw || typeof raw !== "object") return fallback;
    return {
      density: DENSITIES.includes(raw.density as Density) ? (raw.density as Density) : fallback.density,
      sort: SORTS.includes(raw.sort as Sort) ? (raw.sort as Sort) : fallback.sort,
      pinned: Array.isArray(raw.pinned) ? raw.pinned.filter((p): p is string => typeof p === "string" && p.length <= 80).slice(0, MAX_PINNED) : [],
    };
  } catch {
    return fallback;
  }
}

/**
 * The page's layout choices: null until read from the browser (the server renders no panes, so a
 * phone never flashes the grid before its list). Each change is saved at once.
 */
export function useViewPrefs(): [ViewPrefs | null, (change: Partial<ViewPrefs>) => void] {
  const [prefs, setPrefs] = useState<ViewPrefs | null>(null);
  useEffect(() => setPrefs(load()), []);
  const update = useCallback((change: Partial<ViewPrefs>) => {
    setPrefs((cur) => {
      if (!cur) return cur;
      const next = { ...cur, ...change, pinned: (change.pinned ?? cur.pinned).slice(0, MAX_PINNED) };
      try {
        window.localStorage.setItem(KEY, JSON.stringify(next));
      } catch {
        // Storage full or off (private mode): the choice holds for this page only.
      }
      return next;
    });
  }, []);
  return [prefs, update];
}
