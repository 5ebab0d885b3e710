"use client";

import { useRouter } from "next/navigation";
import { useCallback, useMemo, type ReactNode } from "react";
import type { DocInfo } from "@/lib/protocol";
import { AppHeader } from "../AppHeader";
import { FleetProvider, useSessionList } from "../fleet";

/**
 * A document page (a dashboard, the history): the shared header over the document, on one connection
 * that follows no pane: the header's counts come from the sessions push, and no screen is sent. The
 * header is as wide as the main page's (a narrower one wraps under the alert and event panels);
 * `width` bounds the document.
 */
export function DocShell({ docs, current, width, children }: { docs: DocInfo[]; current: string; width: string; children: ReactNode }) {
  return (
    <FleetProvider panes={false}>
      <div className="mx-auto max-w-[2400px] px-3 pb-10 sm:px-5">
        <DocHeader docs={docs} current={current} />
        <div className={`mx-auto ${width}`}>{children}</div>
      </div>
    </FleetProvider>
  );
}

function DocHeader({ docs, current }: { docs: DocInfo[]; current: string }) {
  const sessions = useSessionList();
  const topology = useMemo(() => ({ sessions }), [sessions]);
  const router = useRouter();
  // The panes live on the main page: an alert opens it with that pane focused.
  const onFocus = useCallback((pane: string) => router.push(`/?pane=${encodeURIComponent(pane)}`), [router]);
  return <AppHeader docs={docs} current={current} topology={topology} onFocus={onFocus} />;
}
