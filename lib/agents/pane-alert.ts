import { randomUUID } from "node:crypto";
import type { AgentStatus, AlertKind, PaneAlert, PaneInfo } from "../protocol.ts";
import { errorText } from "./error-reason.ts";

/** The alerts the agent monitor raises (a node going offline is the cluster's: lib/cluster/lifecycle.ts). */
export type PaneAlertKind = Exclude<AlertKind, "node-offline">;

/**
 * What an alert about a pane says: its agent by id (else by its tmux address), what happened, and the
 * line that showed it (bounded). `pane`: the id the monitor knows it by; `status`: its state now, for an
 * error's reason.
 */
export function paneAlert(pane: string, info: PaneInfo, kind: PaneAlertKind, line: string | null, status: AgentStatus | null, now: number): PaneAlert {
  const who = info.agentId ?? `${info.sessionName}:${info.windowIndex}.${info.index}`;
  const message = {
    "waiting-for-input": `${who} is waiting for input`,
    error: `${who} hit an error${status?.reason ? ` (${errorText(status)})` : ""}`,
    exited: `${who} exited`,
    critical: `${who}: ${line ?? "critical output"}`,
  }[kind];
  return {
    id: randomUUID(),
    kind,
    pane,
    session: info.sessionName,
    window: info.windowIndex,
    agentId: info.agentId,
    message,
    line: line?.slice(0, 500) ?? null,
    at: new Date(now).toISOString(),
  };
}
