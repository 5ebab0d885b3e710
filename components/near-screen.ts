"use client";

import { useEffect, useState, type RefObject } from "react";

type Callback = (near: boolean) => void;

/**
 * How far from the viewport an element counts as near: `follow`, half a screen, is where the page
 * keeps a pane's screen current (the server sends it at the full rate); `draw`, a tenth of one, is
 * where a card redraws its lines as they change, so the cards just outside it cost no rendering but
 * have the latest screen ready when they scroll in.
 */
export const MARGINS = { follow: "50% 0px", draw: "10% 0px" } as const;
export type Margin = keyof typeof MARGINS;

/** One observer per margin for every card. */
const observers = new Map<Margin, { io: IntersectionObserver; watched: Map<Element, Callback> }>();

function shared(margin: Margin): { io: IntersectionObserver; watched: Map<Element, Callback> } | null {
  if (typeof IntersectionObserver === "undefined") return null;
  let o = observers.get(margin);
  if (!o) {
    const watched = new Map<Element, Callback>();
    const io = new IntersectionObserver(
      (entries) => {
        for (const e of entries) watched.get(e.target)?.(e.isIntersecting);
      },
      { rootMargin: MARGINS[margin] },
    );
    observers.set(margin, (o = { io, watched }));
  }
  return o;
}

/**
 * Whether an element is on screen or within `margin` of it. Cards far off screen stop following their
 * pane's screen (content-visibility already skips their layout and paint; this skips React's work too) and
 * catch up as they come near. True until the first observation, so a first render shows everything.
 */
export function useNearScreen(ref: RefObject<Element | null>, margin: Margin = "follow"): boolean {
  const [near, setNear] = useState(true);
  useEffect(() => {
    const el = ref.current;
    const o = shared(margin);
    if (!el || !o) return;
    o.watched.set(el, setNear);
    o.io.observe(el);
    return () => {
      o.io.unobserve(el);
      o.watched.delete(el);
    };
  }, [ref, margin]);
  return near;
}
