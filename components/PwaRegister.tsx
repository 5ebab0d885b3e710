"use client";

import { useEffect } from "react";

const base = process.env.NEXT_PUBLIC_PANECAST_BASE_PATH ?? "";

/** Registers the service worker (Web Push, installability) once the page has loaded. */
export function PwaRegister() {
  useEffect(() => {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register(`${base}/sw.js`, { scope: `${base}/` }).catch(() => {
      // Not over HTTPS (or localhost), or blocked by the browser: the page works without it.
    });
  }, []);
  return null;
}
