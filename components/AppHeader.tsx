"use client";

import { useState, type ReactNode } from "react";
import type { DocInfo, Topology } from "@/lib/protocol";
import { plural } from "@/lib/plural";
import { AlertsPanel } from "./AlertsPanel";
import { ConnectionStatus, WhoAmI } from "./ConnectionStatus";
import { EventsPanel } from "./EventsPanel";
import { Brand, Nav } from "./Nav";
import { NotifyButton } from "./NotifyButton";
import { PhoneSignIn } from "./PhoneSignIn";
import { StatusSummary } from "./StatusSummary";
import { ThemeSwitch } from "./ThemeSwitch";

/**
 * The header every page shares: tabs, session and pane counts, agents per state, alerts, events, who
 * is signed in, the theme and the connection state. Reads the page's one connection (FleetProvider).
 * Narrower than `md` it is one row (brand, agent counts, alerts, connection, a menu); the menu opens
 * the rest below it. `children` go after the counts. Its backdrop filter makes it the containing
 * block of the fixed alert and event panels, which open right below it (`top-full`) however many lines
 * it wraps to, never over their own toggles.
 */
export function AppHeader({
  docs,
  current,
  topology,
  onFocus,
  children,
}: {
  docs: DocInfo[];
  current: string;
  topology: Topology;
  /** An alert's pane was chosen. */
  onFocus: (pane: string) => void;
  children?: ReactNode;
}) {
  const [menu, setMenu] = useState(false);
  const panes = topology.sessions.reduce((n, s) => n + s.windows.reduce((m, w) => m + w.panes.length, 0), 0);
  return (
    <header
      data-testid="app-header"
      className="sticky top-0 z-40 -mx-3 mb-3 flex flex-wrap items-center gap-x-3 gap-y-2 border-b border-edge bg-ink/90 px-3 py-2 backdrop-blur sm:-mx-5 sm:px-5 md:mb-4"
    >
      <h1 className="shrink-0">
        <Brand />
      </h1>
      {/* On a phone the counts are coloured numbers (the host figures only from md up); should the
          states outgrow the row, the pills wrap rather than being cut. */}
      <div className="min-w-0 flex-1 md:flex-none [&_span]:whitespace-nowrap max-md:[&_[data-testid=host-strip]]:hidden">
        <StatusSummary />
      </div>
      {/* The menu's content: below the row on a phone when open, part of the row from md up. */}
      <div data-testid="header-more" className={`${menu ? "flex" : "hidden"} order-last basis-full flex-wrap items-center gap-3 md:contents`}>
        <Nav docs={docs} current={current} />
        <span data-testid="fleet-counts" className="text-xs text-muted">
          {plural(topology.sessions.length, "session")} · {plural(panes, "pane")}
        </span>
        {children}
        <div className="flex flex-wrap items-center gap-3 md:ml-auto">
          <NotifyButton />
          <EventsPanel topology={topology} />
          <WhoAmI />
          <ThemeSwitch />
          <PhoneSignIn />
        </div>
      </div>
      <div className="ml-auto flex shrink-0 items-center gap-2 md:ml-0 md:gap-3">
        <AlertsPanel onFocus={onFocus} />
        <ConnectionStatus />
        <button
          type="button"
          data-testid="header-menu"
          aria-expanded={menu}
          aria-label="menu"
          onClick={() => setMenu((m) => !m)}
          className="rounded border border-edge px-2 py-0.5 text-sm md:hidden pointer-coarse:min-h-9 pointer-coarse:min-w-9"
        >
          ☰
        </button>
      </div>
    </header>
  );
}
