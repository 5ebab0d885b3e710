import { MuteMatcher, muteTargetOf, rulesOfSettings } from "../mute.ts";
import type { AgentStatus, AgentType, PaneAlert, Topology } from "../protocol.ts";

/**
 * The server's mute (`notify.mute`): whether an alert's pane is muted for everyone, by its session
 * and window names and agent type now. A pane gone from the topology is not muted (its alert says
 * why it went). Non-agent panes never alert, so the server has no default mute of its own.
 */
export function mutedForEveryone(
  mute: { patterns: readonly string[]; types: readonly AgentType[] },
  view: { readonly topology: Topology },
  monitor: { status(pane: string): AgentStatus | undefined },
): ((alert: PaneAlert) => boolean) | undefined {
  const rules = rulesOfSettings(mute);
  if (rules.length === 0) return undefined;
  const matcher = new MuteMatcher(rules, { nonAgents: false });
  return (alert) => {
    const target = muteTargetOf(view.topology, alert.pane, monitor.status(alert.pane)?.state);
    if (!target) return false;
    // The monitor's type outranks the topology's: it also knows what the hooks said.
    const type = monitor.status(alert.pane)?.agentType;
    return matcher.muted(type ? { ...target, agentType: type } : target);
  };
}
