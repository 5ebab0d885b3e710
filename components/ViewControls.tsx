"use client";

import { DENSITIES, SORTS, type ViewPrefs } from "./view-prefs";

const SORT_LABEL: Record<ViewPrefs["sort"], string> = { "needs-you": "needs you first", activity: "last activity", name: "name" };

/** Density (comfortable, compact, list) and sort, for the main page. */
export function ViewControls({ prefs, onChange }: { prefs: ViewPrefs; onChange: (c: Partial<ViewPrefs>) => void }) {
  return (
    <div className="flex min-w-0 flex-wrap items-center gap-2 text-xs">
      <div role="radiogroup" aria-label="density" className="flex overflow-hidden rounded border border-edge">
        {DENSITIES.map((d) => (
          <button
            key={d}
            type="button"
            role="radio"
            aria-checked={prefs.density === d}
            data-testid={`density-${d}`}
            onClick={() => onChange({ density: d })}
            className={`px-2 py-0.5 pointer-coarse:py-1.5 ${prefs.density === d ? "bg-edge text-fg" : "text-muted hover:text-fg"}`}
          >
            {d}
          </button>
        ))}
      </div>
      <label className="flex items-center gap-1 text-muted">
        sort
        <select
          data-testid="sort"
          value={prefs.sort}
          onChange={(e) => onChange({ sort: e.target.value as ViewPrefs["sort"] })}
          className="rounded border border-edge bg-panel px-1 py-0.5 text-fg pointer-coarse:py-1.5"
        >
          {SORTS.map((s) => (
            <option key={s} value={s}>
              {SORT_LABEL[s]}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
