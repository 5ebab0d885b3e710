import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { parsePrompt, type ParsedPrompt } from "../agents/choices.ts";
import type { PaneView } from "../agents/pane-view.ts";
import { NEEDS_YOU_STATES, type AgentStatus, type NeedsYouItem, type NeedsYouPayload, type NeedsYouState } from "../protocol.ts";
import { allPanes } from "../topology.ts";
import type { NeedsYouStore } from "./store.ts";

/** The agent monitor as the queue reads it. */
export interface StatusSource {
  on(event: "status", cb: (s: AgentStatus) => void): unknown;
}

export interface NeedsYouOptions {
  /** Resolved items kept for the Alerts panel, newest first. */
  maxResolved: number;
}

const NEEDS_YOU: ReadonlySet<string> = new Set(NEEDS_YOU_STATES);

/**
 * The needs-you queue: every pane waiting for input or failed is one open item, from the agent
 * monitor's state changes; the item resolves when the pane leaves that state, whoever answered
 * (a one-tap answer, the input box, someone in tmux), or when the pane goes. A waiting item carries the
 * choices read off the pane's current screen, re-read as the screen changes.
 *
 * Kept in the state directory: after a restart, an item read back is adopted (same id, same `since`)
 * when the live state says the pane still waits, and resolved when it says otherwise or the pane is
 * gone. Socket-free; the hub sends `payload()` to clients on `changed`.
 */
export class NeedsYouQueue extends EventEmitter<{ changed: [] }> {
  private readonly view: PaneView;
  private readonly store: NeedsYouStore | null;
  private readonly opts: NeedsYouOptions;
  private readonly open = new Map<string, NeedsYouItem>();
  private resolved: NeedsYouItem[] = [];
  /** Panes whose open item was read from disk and awaits the live state. */
  private readonly restored = new Set<string>();
  private saving: NodeJS.Immediate | null = null;

  constructor(view: PaneView, monitor: StatusSource, store: NeedsYouStore | null, opts: NeedsYouOptions) {
    super();
    this.view = view;
    this.store = store;
    this.opts = opts;
    const saved = store?.load() ?? { open: [], resolved: [] };
    for (const item of saved.open) {
      this.open.set(item.pane, item);
      this.restored.add(item.pane);
    }
    this.resolved = saved.resolved.slice(0, opts.maxResolved);
    monitor.on("status", (s) => this.onStatus(s));
    view.on("update", (u) => this.onFrame(u.pane));
    view.on("removed", (pane) => this.resolve(pane));
    view.on("topology", (t) => {
      if (this.restored.size === 0) return;
      const live = new Set(allPanes(t).map((p) => p.id));
      for (const pane of [...this.restored]) if (!live.has(pane)) this.resolve(pane);
    });
  }

  /** Open items oldest first and recent resolved ones, limited to the sessions `visible` allows. */
  payload(visible: ((session: string) => boolean) | null = null): NeedsYouPayload {
    const sees = (i: NeedsYouItem) => !visible || visible(i.session);
    const open = [...this.open.values()].filter(sees).sort((a, b) => a.since.localeCompare(b.since));
    return { open, resolved: this.resolved.filter(sees) };
  }

  /** The open item of a pane. */
  item(pane: string): NeedsYouItem | undefined {
    return this.open.get(pane);
  }

  /** The prompt the pane's screen shows now (null: none recognised, or no screen). */
  prompt(pane: string): ParsedPrompt | null {
    const frame = this.view.frame(pane);
    return frame ? parsePrompt(frame.lines) : null;
  }

  /** Records the outcome of a one-tap answer on the item, open or already resolved. */
  noteAnswer(itemId: string, answer: NonNullable<NeedsYouItem["answer"]>): void {
    for (const [pane, item] of this.open) {
      if (item.id === itemId) {
        this.open.set(pane, { ...item, answer });
        return this.changed();
      }
    }
    if (!this.resolved.some((i) => i.id === itemId)) return;
    this.resolved = this.resolved.map((i) => (i.id === itemId ? { ...i, answer } : i));
    this.changed();
  }

  /** Writes what is pending now (on shutdown). */
  flush(): void {
    if (!this.saving) return;
    clearImmediate(this.saving);
    this.saving = null;
    this.store?.save({ open: [...this.open.values()], resolved: this.resolved });
  }

  private onStatus(s: AgentStatus): void {
    const item = this.open.get(s.pane);
    if (!NEEDS_YOU.has(s.state)) {
      if (item) this.resolve(s.pane);
      return;
    }
    const state = s.state as NeedsYouState;
    const reason = reasonOf(s);
    if (item && item.state === state) {
      // The same wait, seen again (restart, or the state's source changed): the same item.
      this.restored.delete(s.pane);
      this.open.set(s.pane, { ...withPrompt({ ...item, line: s.line }, state === "waiting-for-input" ? this.prompt(s.pane) : null), ...(reason ? { reason } : {}) });
      return this.changed();
    }
    if (item) this.resolve(s.pane);
    const info = this.view.pane(s.pane);
    if (!info) return;
    const fresh: NeedsYouItem = {
      id: randomUUID(),
      pane: s.pane,
      ...(info.node ? { node: info.node } : {}),
      session: info.sessionName,
      window: info.windowIndex,
      state,
      agentType: s.agentType,
      agentId: info.agentId,
      since: s.since,
      line: s.line?.slice(0, 1000) ?? null,
      ...(reason ? { reason } : {}),
      choices: [],
      promptHash: null,
    };
    this.open.set(s.pane, withPrompt(fresh, state === "waiting-for-input" ? this.prompt(s.pane) : null));
    this.changed();
  }

  /** A waiting pane's screen changed: its choices may have. */
  private onFrame(pane: string): void {
    const item = this.open.get(pane);
    if (!item || item.state !== "waiting-for-input" || this.restored.has(pane)) return;
    const next = withPrompt(item, this.prompt(pane));
    if (next.promptHash === item.promptHash && sameChoices(next, item)) return;
    this.open.set(pane, next);
    this.changed();
  }

  private resolve(pane: string): void {
    const item = this.open.get(pane);
    if (!item) return;
    this.open.delete(pane);
    this.restored.delete(pane);
    this.resolved = [{ ...item, resolvedAt: new Date().toISOString() }, ...this.resolved].slice(0, this.opts.maxResolved);
    this.changed();
  }

  private changed(): void {
    if (this.store && !this.saving) {
      // One write per turn of the event loop, however many items changed in it.
      this.saving = setImmediate(() => {
        this.saving = null;
        this.store!.save({ open: [...this.open.values()], resolved: this.resolved });
      });
    }
    this.emit("changed");
  }
}

function withPrompt(item: NeedsYouItem, prompt: ParsedPrompt | null): NeedsYouItem {
  return { ...item, choices: prompt?.choices ?? [], promptHash: prompt?.hash ?? null };
}

function sameChoices(a: NeedsYouItem, b: NeedsYouItem): boolean {
  return JSON.stringify(a.choices) === JSON.stringify(b.choices);
}

/** An agent status's `reason` (a failure's cause), read defensively: older statuses have none. */
function reasonOf(s: AgentStatus): string | undefined {
  const r = (s as { reason?: unknown }).reason;
  return typeof r === "string" && r.length <= 64 ? r : undefined;
}
