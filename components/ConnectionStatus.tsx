"use client";

import { useEffect, useState } from "react";
import { clearPageKey } from "@/lib/client/page-key";
import { useConnectionStatus, useFleet } from "./fleet";

const LOOK = {
  connecting: { dot: "bg-amber-400 animate-pulse", label: "connecting" },
  live: { dot: "bg-emerald-400", label: "live" },
  reconnecting: { dot: "bg-amber-400 animate-pulse", label: "reconnecting" },
  offline: { dot: "bg-red-500", label: "offline" },
} as const;

const base = process.env.NEXT_PUBLIC_PANECAST_BASE_PATH ?? "";

/** Who is signed in, and a way out (a plain form: works without JavaScript). */
export function WhoAmI() {
  const { principal, authEnabled, unauthorized } = useConnectionStatus();
  if (unauthorized) {
    return (
      <a href={`${base}/login`} className="text-xs text-warn hover:underline">
        session ended: sign in again
      </a>
    );
  }
  if (!principal || !authEnabled) return null;
  return (
    <form method="post" action={`${base}/api/logout`} onSubmit={clearPageKey} className="flex items-center gap-2 text-xs text-muted">
      <span data-testid="whoami" data-role={principal.role}>
        {principal.name} · {principal.role}
        {principal.sessions ? ` · ${principal.sessions.join(",")}` : ""}
      </span>
      <button type="submit" className="rounded border border-edge px-2 py-0.5 hover:bg-panel">
        Sign out
      </button>
    </form>
  );
}

/** live / reconnecting (with its countdown) / offline, with a retry button while not live. */
export function ConnectionStatus() {
  const status = useConnectionStatus();
  const conn = useFleet();
  const [now, setNow] = useState(() => Date.now());
  const counting = status.nextAttemptAt !== null && status.state !== "live";
  useEffect(() => {
    if (!counting) return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [counting]);
  const state = status.state === "connecting" ? "reconnecting" : status.state;
  const look = LOOK[status.state];
  const secs = status.nextAttemptAt ? Math.max(0, Math.ceil((status.nextAttemptAt - now) / 1000)) : 0;
  return (
    <div
      data-testid="connection-status"
      data-state={state}
      role="status"
      aria-live="polite"
      className="flex items-center gap-2 rounded-full border border-edge bg-panel px-3 py-1 text-xs max-md:px-2"
    >
      <span className={`h-2 w-2 rounded-full ${look.dot}`} aria-hidden />
      {/* On a phone a live connection is its green dot (the word stays for screen readers); any other
          state keeps its words, which are news. */}
      <span className={state === "live" ? "max-md:sr-only" : undefined}>
        {look.label}
        {counting && secs > 0 ? ` · retry in ${secs}s` : ""}
      </span>
      {status.state !== "live" && status.state !== "connecting" && (
        <button type="button" onClick={() => conn.retryNow()} className="text-accent hover:underline">
          retry now
        </button>
      )}
    </div>
  );
}
