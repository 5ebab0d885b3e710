/**
 * When the hub flushes: at the next frame tick once something is due, at most once per `frameMs`
 * (at once when the last flush is a frame ago), and never after `stop`.
 */
export class FrameClock {
  private timer: NodeJS.Timeout | null = null;
  private last = -Infinity;
  private stopped = false;

  constructor(
    private readonly frameMs: number,
    private readonly flush: () => void,
  ) {}

  /** Something is due: a flush runs at the next tick. */
  due(): void {
    if (this.timer || this.stopped) return;
    const wait = Math.max(0, this.last + this.frameMs - performance.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  /** A flush starts now (from the clock, or called directly): the next waits a frame from here. Returns now. */
  flushing(): number {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.last = performance.now();
    return this.last;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
