/**
 * Which pane each agent session runs in, learnt from the hook events that come from the agent's own
 * process (their $TMUX_PANE is the agent's pane). Codex runs its `notify` program from a shared
 * daemon, whose $TMUX_PANE is whichever pane started the daemon: such an event is placed by its
 * session id (`thread-id`) once seen, never by its $TMUX_PANE over another session's pane. Bounded:
 * at most `max` sessions (the oldest go first), and a pane's sessions go with the pane.
 */
export class SessionPanes {
  private readonly byId = new Map<string, { pane: string; agent: string }>();
  private readonly max: number;

  constructor(max = 4096) {
    this.max = max;
  }

  /**
   * The pane an event belongs to, or null to drop it. `trusted`: the event came from the agent's own
   * process, so its $TMUX_PANE is right (and, once accepted, teaches the session's pane).
   */
  resolve(sessionId: string | undefined, envPane: string, trusted: boolean, agent = ""): string | null {
    if (!sessionId || trusted) return envPane;
    const known = this.byId.get(sessionId);
    if (known) return known.pane;
    // An unknown session from a shared daemon: only onto a pane no other session of that agent CLI runs in.
    for (const s of this.byId.values()) if (s.pane === envPane && s.agent === agent) return null;
    return envPane;
  }

  /** Records a session's pane (call once the event was accepted: an event that was refused teaches nothing). */
  learn(sessionId: string, pane: string, agent = ""): void {
    this.byId.delete(sessionId);
    this.byId.set(sessionId, { pane, agent });
    if (this.byId.size > this.max) this.byId.delete(this.byId.keys().next().value!);
  }

  forgetPane(pane: string): void {
    for (const [id, s] of this.byId) if (s.pane === pane) this.byId.delete(id);
  }
}
