/**
 * The seed's AdaptivePoller: poll at the base interval while things change; after
 * `noChangeThreshold` unchanged polls in a row, double the interval up to the maximum; any change
 * resets it.
 */
export class AdaptivePoller {
  readonly baseIntervalMs: number;
  readonly maxIntervalMs: number;
  readonly noChangeThreshold: number;
  private interval: number;
  private unchanged = 0;

  constructor(baseIntervalMs: number, maxIntervalMs: number, noChangeThreshold: number) {
    this.baseIntervalMs = baseIntervalMs;
    this.maxIntervalMs = Math.max(baseIntervalMs, maxIntervalMs);
    this.noChangeThreshold = Math.max(1, noChangeThreshold);
    this.interval = baseIntervalMs;
  }

  get currentIntervalMs(): number {
    return this.interval;
  }

  onChange(): void {
    this.unchanged = 0;
    this.interval = this.baseIntervalMs;
  }

  onNoChange(): void {
    this.unchanged++;
    if (this.unchanged >= this.noChangeThreshold) this.interval = Math.min(this.maxIntervalMs, this.interval * 2);
  }
}
