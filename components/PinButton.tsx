"use client";

/** The star that pins a pane to the top of the grid or list (remembered per browser). */
export function PinButton({ id, label, pinned, onPin }: { id: string; label: string; pinned: boolean; onPin: (id: string) => void }) {
  return (
    <button
      type="button"
      data-testid="pin"
      aria-pressed={pinned}
      aria-label={`${pinned ? "unpin" : "pin"} ${label}`}
      title={pinned ? "unpin" : "pin to the top"}
      onClick={() => onPin(id)}
      className={`shrink-0 rounded px-1.5 py-0.5 text-[11px] hover:bg-edge pointer-coarse:min-h-9 pointer-coarse:min-w-9 ${pinned ? "text-accent" : "text-muted"}`}
    >
      {pinned ? "★" : "☆"}
    </button>
  );
}
