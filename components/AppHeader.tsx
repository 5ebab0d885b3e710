import type { ReactNode } from "react";
import type { DocInfo, Topology } from "@/lib/protocol";
import { plural } from "@/lib/plural";
import { AlertsPanel } from "./AlertsPanel";
import { ConnectionStatus, WhoAmI } from "./ConnectionStatus";
import { EventsPanel } from "./EventsPanel";
import { Brand, Nav } from "./Nav";
import { NotifyButton } from "./NotifyButton";
import { StatusSummary } from "./StatusSummary";
import { ThemeSwitch } from "./ThemeSwitch";

/**
 * The header every page shares: tabs, session and pane counts, agents per state, alerts, events, who
 * is signed in, the theme and the connection state. Reads the page's one connection (FleetProvider).
 * `children` go after the counts (the grid's filter box). Its backdrop filter makes it the containing
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
  const panes = topology.sessions.reduce((n, s) => n + s.windows.reduce((m, w) => m + w.panes.length, 0), 0);
  return (
    <header
      data-testid="app-header"
      className="sticky top-0 z-40 -mx-3 mb-4 flex flex-wrap items-center gap-3 border-b border-edge bg-ink/90 px-3 py-2 backdrop-blur sm:-mx-5 sm:px-5"
    >
      <h1>
        <Brand />
      </h1>
      <Nav docs={docs} current={current} />
      <span data-testid="fleet-counts" className="text-xs text-muted">
        {plural(topology.sessions.length, "session")} · {plural(panes, "pane")}
      </span>
      <StatusSummary />
      {children}
      <div className="ml-auto flex items-center gap-3">
        <NotifyButton />
        <AlertsPanel onFocus={onFocus} />
        <EventsPanel topology={topology} />
        <WhoAmI />
        <ThemeSwitch />
        <ConnectionStatus />
      </div>
    </header>
  );
}
