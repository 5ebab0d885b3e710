"use client";

import { useEffect, useRef, useState } from "react";
import type { PaneAlert } from "@/lib/protocol";
import { useAlerts, useFleetState, useMutedPanes } from "./fleet";
import { NeedsYouAlerts } from "./NeedsYouAlerts";
import { useNeedsYou } from "./useNeedsYou";

const KIND: Record<PaneAlert["kind"], string> = {
  "waiting-for-input": "state-waiting-for-input",
  error: "state-error",
  critical: "bg-fuchsia-800/80 text-fuchsia-100",
  exited: "bg-zinc-800 text-zinc-300",
  "node-offline": "bg-zinc-700 text-zinc-100",
};

/**
 * Alerts: on top, the server's needs-you queue (what is open now, what was resolved lately), the
 * same for every page whenever it opened; below, the alerts that arrived since this page opened
 * (critical output, exits), each a browser notification once the user allowed them. The count is
 * what is open now plus those alerts. Panes this browser muted raise no notification and leave the
 * count; their alerts stay in the list, dimmed.
 */
export function AlertsPanel({ onFocus }: { onFocus: (pane: string) => void }) {
  const state = useFleetState();
  const alerts = useAlerts();
  const [open, setOpen] = useState(false);
  const [permission, setPermission] = useState<NotificationPermission | "unsupported">("unsupported");
  const seen = useRef(new Set<string>());
  const muted = useMutedPanes();
  const mutedRef = useRef(muted);
  mutedRef.current = muted;

  useEffect(() => {
    if (typeof Notification !== "undefined") setPermission(Notification.permission);
  }, []);

  useEffect(() => {
    for (const a of alerts) {
      if (seen.current.has(a.id)) continue;
      seen.current.add(a.id);
      if (permission === "granted" && !mutedRef.current.has(a.pane)) {
        const n = new Notification(`panecast: ${a.message}`, { body: a.line ?? "", tag: `${a.pane}/${a.kind}` });
        n.onclick = () => {
          window.focus();
          onFocus(a.pane);
        };
      }
    }
  });

  const waiting = useNeedsYou().open.filter((i) => !muted.has(i.pane)).length;
  const count = alerts.filter((a) => !muted.has(a.pane)).length + waiting;
  return (
    <>
      <button
        type="button"
        data-testid="alerts-toggle"
        onClick={() => setOpen((o) => !o)}
        className={`rounded border px-2 py-0.5 text-xs ${count > 0 ? "border-amber-600 text-warn" : "border-edge text-muted"}`}
      >
        Alerts{count > 0 ? ` ${count}` : ""}
      </button>
      {open && (
        <aside data-testid="alerts-panel" aria-label="alerts" className="absolute right-0 top-full z-40 flex max-h-[80vh] w-full max-w-md flex-col overflow-hidden rounded-bl-lg border border-edge bg-panel shadow-xl">
          <div className="flex items-center gap-2 border-b border-edge px-3 py-2 text-xs">
            <span className="font-semibold">Alerts</span>
            {permission === "default" && (
              <button type="button" className="rounded border border-edge px-2 py-0.5 hover:bg-edge" onClick={() => void Notification.requestPermission().then(setPermission)}>
                Enable browser notifications
              </button>
            )}
            {alerts.length > 0 && (
              <button type="button" className="ml-auto rounded border border-edge px-2 py-0.5 hover:bg-edge" onClick={() => state.dismiss("all")}>
                Clear all
              </button>
            )}
          </div>
          <ul className="overflow-y-auto">
            <li>
              <NeedsYouAlerts onFocus={onFocus} />
            </li>
            {alerts.length === 0 && <li className="px-3 py-4 text-xs text-muted">No alerts since this page opened.</li>}
            {alerts.map((a) => (
              <li key={a.id} data-testid="alert" data-kind={a.kind} data-muted={muted.has(a.pane) || undefined} className={`flex items-start gap-2 border-b border-edge px-3 py-2 text-xs${muted.has(a.pane) ? " opacity-50" : ""}`}>
                <span className={`rounded px-1.5 py-0.5 text-[10px] uppercase ${KIND[a.kind]}`}>{a.kind === "waiting-for-input" ? "waiting" : a.kind}</span>
                <button type="button" className="min-w-0 flex-1 text-left" onClick={() => onFocus(a.pane)}>
                  <span className="block">{a.message}</span>
                  {a.line && <span className="block truncate font-mono text-muted">{a.line}</span>}
                  <time className="text-[10px] text-muted">{new Date(a.at).toLocaleTimeString()}</time>
                </button>
                <button type="button" aria-label="dismiss" className="text-muted hover:text-fg" onClick={() => state.dismiss(a.id)}>
                  ✕
                </button>
              </li>
            ))}
          </ul>
        </aside>
      )}
    </>
  );
}
