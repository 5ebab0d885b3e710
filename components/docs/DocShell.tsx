"use client";

import { useRouter } from "next/navigation";
import { useCallback, useMemo, type ReactNode } from "react";
import { AppHeader } from "../AppHeader";
import { FleetProvider, useSessionList } from "../fleet";
import { useDocList } from "./useDocList";

/**
 * A document page (a dashboard, the history): the shared header over the document, on one connection
 * that follows no pane: the header's counts come from the sessions push, and no screen is sent. The
 * header is as wide as the main page's (a narrower one wraps under the alert and event panels);
 * `width` bounds the document.
 */
export function DocShell({ current, width, children }: { current: string; width: string; children: ReactNode }) {
  return (
    <FleetProvider panes={false}>
      <div className="mx-auto max-w-[2400px] px-3 pb-10 sm:px-5">
        <DocHeader current={current} />
        <div className={`mx-auto ${width}`}>{children}</div>
      </div>
    </FleetProvider>
  );
}

function DocHeader({ current }: { current: string }) {
  const docs = useDocList();
  const sessions = useSessionList();
  const topology = useMemo(() => ({ sessions }), [sessions]);
  const router = useRouter();
  // The panes live on the main page: an alert opens it with that pane focused.
  const onFocus = useCallback((pane: string) => router.push(`/?pane=${encodeURIComponent(pane)}`), [router]);
  return <AppHeader docs={docs} current={current} topology={topology} onFocus={onFocus} />;
}
