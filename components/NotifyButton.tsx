"use client";

import { useCallback, useEffect, useState } from "react";
import { pageKeyHeaders } from "@/lib/client/page-key";

const base = process.env.NEXT_PUBLIC_PANECAST_BASE_PATH ?? "";

type State = "unsupported" | "off" | "on" | "blocked" | "busy" | "failed";

const LABEL: Record<State, string> = {
  unsupported: "Notifications unavailable",
  off: "Notify this device",
  on: "Notifying this device",
  blocked: "Notifications blocked",
  busy: "…",
  failed: "Notify this device (failed: retry)",
};

/**
 * "Notify this device": subscribes this browser to the server's Web Push alerts (for the panes this
 * login can see), or unsubscribes it. Needs HTTPS (or localhost) and the service worker.
 */
export function NotifyButton() {
  const [state, setState] = useState<State>("busy");

  useEffect(() => {
    if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) return setState("unsupported");
    let live = true;
    void navigator.serviceWorker.ready
      .then((reg) => reg.pushManager.getSubscription())
      .then((sub) => live && setState(sub ? "on" : Notification.permission === "denied" ? "blocked" : "off"))
      .catch(() => live && setState("unsupported"));
    return () => {
      live = false;
    };
  }, []);

  const toggle = useCallback(async () => {
    const was = state;
    setState("busy");
    try {
      const reg = await navigator.serviceWorker.ready;
      const current = await reg.pushManager.getSubscription();
      if (was === "on" && current) {
        await fetch(`${base}/api/push/subscriptions`, { method: "DELETE", headers: { "content-type": "application/json", ...pageKeyHeaders() }, body: JSON.stringify({ endpoint: current.endpoint }) });
        await current.unsubscribe();
        return setState("off");
      }
      if ((await Notification.requestPermission()) !== "granted") return setState("blocked");
      const res = await fetch(`${base}/api/push/vapid-key`, { headers: pageKeyHeaders() });
      if (!res.ok) return setState("failed");
      const { key } = (await res.json()) as { key: string };
      const sub = current ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: fromBase64Url(key) }));
      const saved = await fetch(`${base}/api/push/subscriptions`, { method: "POST", headers: { "content-type": "application/json", ...pageKeyHeaders() }, body: JSON.stringify(sub.toJSON()) });
      setState(saved.ok ? "on" : "failed");
    } catch {
      setState("failed");
    }
  }, [state]);

  if (state === "unsupported") return null;
  return (
    <button
      type="button"
      data-testid="notify-device"
      data-state={state}
      disabled={state === "busy" || state === "blocked"}
      onClick={() => void toggle()}
      className="rounded border border-edge px-2 py-0.5 text-xs text-muted hover:bg-panel disabled:opacity-60"
    >
      {LABEL[state]}
    </button>
  );
}

function fromBase64Url(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
