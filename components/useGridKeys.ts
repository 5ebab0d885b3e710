"use client";

import { useEffect, type KeyboardEvent, type RefObject } from "react";

const CARD = "[data-pane-card]";

/**
 * Keyboard use of the grid: arrows move between cards (left/right in reading order, up/down to the
 * nearest card in the row above or below), Enter opens the focused card, and `/` (outside a text
 * field) jumps to the filter.
 */
export function useGridKeys(filterRef: RefObject<HTMLInputElement | null>, onOpen: (id: string) => void) {
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || t?.closest("input, textarea, select, [contenteditable]")) return;
      e.preventDefault();
      filterRef.current?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [filterRef]);

  return (e: KeyboardEvent<HTMLElement>) => {
    const card = (e.target as HTMLElement).closest<HTMLElement>(CARD);
    if (!card || e.target !== card) return;
    if (e.key === "Enter") {
      e.preventDefault();
      onOpen(card.dataset.paneCard!);
      return;
    }
    const next = neighbour(card, e.key);
    if (next === undefined) return;
    e.preventDefault();
    next?.focus();
  };
}

function neighbour(card: HTMLElement, key: string): HTMLElement | null | undefined {
  const cards = [...document.querySelectorAll<HTMLElement>(CARD)];
  const i = cards.indexOf(card);
  if (key === "ArrowRight") return cards[i + 1] ?? null;
  if (key === "ArrowLeft") return cards[i - 1] ?? null;
  if (key !== "ArrowDown" && key !== "ArrowUp") return undefined;
  const from = card.getBoundingClientRect();
  const down = key === "ArrowDown";
  let best: HTMLElement | null = null;
  let bestScore = Infinity;
  for (const c of cards) {
    const r = c.getBoundingClientRect();
    const dy = down ? r.top - from.bottom : from.top - r.bottom;
    if (c === card || dy < -1) continue;
    const score = dy * 10 + Math.abs(r.left + r.width / 2 - (from.left + from.width / 2));
    if (score < bestScore) {
      bestScore = score;
      best = c;
    }
  }
  return best;
}
