"use client";

import { AgentBadge } from "./AgentBadges";
import { itemLabel, NodeTag } from "./NeedsYou";
import { useNeedsYou } from "./useNeedsYou";
import { useMutedPanes } from "./fleet";

/**
 * The Alerts panel's part kept by the server: what needs someone now, and what was resolved lately
 * (and how: answered with one tap, or not), so a page opened later shows the same truth.
 */
export function NeedsYouAlerts({ onFocus }: { onFocus: (pane: string) => void }) {
  const { open, resolved } = useNeedsYou();
  const muted = useMutedPanes();
  return (
    <div data-testid="alerts-needs-you" className="border-b border-edge">
      <h3 className="px-3 pt-2 text-[10px] font-semibold uppercase tracking-wide text-muted">Needs you now ({open.filter((i) => !muted.has(i.pane)).length})</h3>
      <ul>
        {open.length === 0 && <li className="px-3 py-2 text-xs text-muted">Nothing open.</li>}
        {open.map((i) => (
          <li key={i.id} data-testid="alerts-open-item" data-pane={i.pane} data-muted={muted.has(i.pane) || undefined} className={`flex items-start gap-2 px-3 py-1.5 text-xs${muted.has(i.pane) ? " opacity-50" : ""}`}>
            <AgentBadge state={i.state} />
            <button type="button" className="min-w-0 flex-1 text-left" onClick={() => onFocus(i.pane)}>
              <span className="block">
                {itemLabel(i)}
                <NodeTag node={i.node} />
              </span>
              {i.line && <span className="block truncate font-mono text-muted">{i.line}</span>}
            </button>
          </li>
        ))}
      </ul>
      {resolved.length > 0 && (
        <>
          <h3 className="px-3 pt-2 text-[10px] font-semibold uppercase tracking-wide text-muted">Resolved lately</h3>
          <ul>
            {resolved.slice(0, 20).map((i) => (
              <li key={i.id} data-testid="alerts-resolved-item" data-pane={i.pane} className="flex items-start gap-2 px-3 py-1.5 text-xs opacity-70">
                <span className="rounded bg-edge px-1.5 py-0.5 text-[10px] uppercase text-muted">{i.state === "error" ? "error" : "waited"}</span>
                <button type="button" className="min-w-0 flex-1 text-left" onClick={() => onFocus(i.pane)}>
                  <span className="block">
                    {itemLabel(i)}
                    <NodeTag node={i.node} />
                    {i.answer ? ` · ${i.answer.outcome === "answered" ? "answered" : "not answered"} “${i.answer.label}” by ${i.answer.by}` : ""}
                  </span>
                  {i.resolvedAt && <time className="text-[10px] text-muted">{new Date(i.resolvedAt).toLocaleTimeString()}</time>}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
