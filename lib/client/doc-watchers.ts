import type { DocPayload } from "../protocol.ts";

/** Documents followed by name (a page shows one or two), and who is told of each. */
export class DocWatchers {
  private readonly listeners = new Map<string, Set<(p: DocPayload) => void>>();

  /** Adds a listener; returns the function that removes it. */
  add(name: string, cb: (p: DocPayload) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(cb);
    return () => {
      set.delete(cb);
      if (set.size === 0) this.listeners.delete(name);
    };
  }

  /** The names followed: subscribed again on every connect. */
  names(): string[] {
    return [...this.listeners.keys()];
  }

  deliver(p: DocPayload): void {
    for (const cb of this.listeners.get(p.name) ?? []) cb(p);
  }
}
