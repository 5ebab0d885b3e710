/** How long a pane typed into keeps the frame pace: its echo and the program's answer come at once. */
export const TYPED_MS = 10_000;
/** Panes remembered as typed into at most (older marks are dropped first). */
const MAX_TYPED = 1000;

/**
 * Which panes someone watches closely, so that they are read at the frame pace while they stream: a
 * pane a client shows in its focused view (the hub knows), or one typed into a moment ago.
 */
export class CloseWatch {
  private readonly focused: (pane: string) => boolean;
  private readonly typedAt = new Map<string, number>();
  private listener: ((pane: string) => void) | null = null;

  /** `focused`: whether a client shows this pane (a tmux id) in its focused view. */
  constructor(focused: (pane: string) => boolean = () => false) {
    this.focused = focused;
  }

  /** Told each time a pane comes to be watched closely (typed into, newly focused): the tracker's reader. */
  onClose(listener: (pane: string) => void): void {
    this.listener = listener;
  }

  /** Someone types into this pane now. */
  typed(pane: string): void {
    this.typedAt.delete(pane);
    this.typedAt.set(pane, performance.now());
    if (this.typedAt.size > MAX_TYPED) this.typedAt.delete(this.typedAt.keys().next().value!);
    this.listener?.(pane);
  }

  /** A client shows this pane in its focused view now (it was in none). */
  focusedNow(pane: string): void {
    this.listener?.(pane);
  }

  isClose(pane: string): boolean {
    const at = this.typedAt.get(pane);
    if (at !== undefined) {
      if (performance.now() - at < TYPED_MS) return true;
      this.typedAt.delete(pane);
    }
    return this.focused(pane);
  }
}
