/**
 * Which panes a page shows off screen, from the views that show them: a pane is far when every view
 * of it says so (a card scrolled away while the focused view shows the same pane is not). Changes are
 * reported at most once per `debounceMs`, so a scroll past many cards is one message.
 */
export class FarPanes {
  private readonly views = new Map<string, Map<symbol, boolean>>();
  private readonly onChange: (far: string[]) => void;
  private readonly debounceMs: number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private last = "";

  constructor(onChange: (far: string[]) => void, debounceMs = 100) {
    this.onChange = onChange;
    this.debounceMs = debounceMs;
  }

  /** A view of `pane`, near the screen or not; `set` as that changes, `done` when it goes. */
  watch(pane: string, near: boolean): { set(near: boolean): void; done(): void } {
    const key = Symbol(pane);
    const mine = () => {
      let m = this.views.get(pane);
      if (!m) this.views.set(pane, (m = new Map()));
      return m;
    };
    mine().set(key, near);
    this.changed();
    return {
      set: (n) => {
        mine().set(key, n);
        this.changed();
      },
      done: () => {
        const m = this.views.get(pane);
        m?.delete(key);
        if (m?.size === 0) this.views.delete(pane);
        this.changed();
      },
    };
  }

  /** The far panes now, sorted. */
  list(): string[] {
    return [...this.views].filter(([, m]) => [...m.values()].every((near) => !near)).map(([pane]) => pane).sort();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const far = this.list();
      const key = far.join("\n");
      if (key === this.last) return;
      this.last = key;
      this.onChange(far);
    }, this.debounceMs);
  }
}
