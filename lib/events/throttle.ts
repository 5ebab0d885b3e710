/**
 * At most one call per `intervalMs`, and the last request is never lost (trailing edge): a burst of
 * changes becomes one push now and one more after the interval.
 */
export class Throttle {
  private readonly intervalMs: number;
  private readonly fn: () => void;
  private last = -Infinity;
  private timer: NodeJS.Timeout | null = null;

  constructor(intervalMs: number, fn: () => void) {
    this.intervalMs = intervalMs;
    this.fn = fn;
  }

  request(): void {
    if (this.timer) return;
    const wait = this.last + this.intervalMs - performance.now();
    if (wait <= 0) {
      this.last = performance.now();
      this.fn();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.last = performance.now();
      this.fn();
    }, wait);
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
