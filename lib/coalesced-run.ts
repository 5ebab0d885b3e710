/**
 * "Run once, and once more if asked meanwhile": a task that must not overlap itself, where a request
 * made while it runs means the result may already be stale. `run()` starts the task, or, while it is
 * running, shares the running promise and notes that it was asked again; when the run ends, `again`
 * is called once (the owner schedules the next run, usually at once). Many requests during one run
 * make a single rerun.
 */
export class CoalescedRun {
  private readonly task: () => Promise<void>;
  private readonly again: () => void;
  private current: Promise<void> | null = null;
  private askedAgain = false;

  constructor(task: () => Promise<void>, again: () => void) {
    this.task = task;
    this.again = again;
  }

  get running(): boolean {
    return this.current !== null;
  }

  /** Starts a run, or marks one more after the current; resolves when the current run ends. */
  run(): Promise<void> {
    if (this.current) {
      this.askedAgain = true;
      return this.current;
    }
    this.current = this.task().finally(() => {
      this.current = null;
      if (this.askedAgain) {
        this.askedAgain = false;
        this.again();
      }
    });
    return this.current;
  }

  /** Resolves when the current run (if any) has ended, never rejects. */
  async settled(): Promise<void> {
    await this.current?.catch(() => {});
  }
}
