"use client";

import { useEffect, useState, type RefObject } from "react";

type Callback = (near: boolean) => void;
const watched = new Map<Element, Callback>();
let observer: IntersectionObserver | null = null;

/** One observer for every card: a card within half a screen of the viewport counts as near. */
function shared(): IntersectionObserver | null {
  if (observer || typeof IntersectionObserver === "undefined") return observer;
  observer = new IntersectionObserver(
    (entries) => {
      for (const e of entries) watched.get(e.target)?.(e.isIntersecting);
    },
    { rootMargin: "50% 0px" },
  );
  return observer;
}

/**
 * Whether an element is on screen or close to it. Cards far off screen stop following their pane's
 * screen (content-visibility already skips their layout and paint; this skips React's work too) and
 * catch up as they come near. True until the first observation, so a first render shows everything.
 */
export function useNearScreen(ref: RefObject<Element | null>): boolean {
  const [near, setNear] = useState(true);
  useEffect(() => {
    const el = ref.current;
    const io = shared();
    if (!el || !io) return;
    watched.set(el, setNear);
    io.observe(el);
    return () => {
      io.unobserve(el);
      watched.delete(el);
    };
  }, [ref]);
  return near;
}
