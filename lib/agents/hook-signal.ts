import { z } from "zod";
import { LOCAL_PANE_ID } from "../protocol/ids.ts";
import { HOOK_AGENTS, type AgentSignal, type AgentState } from "../protocol.ts";

/** The body of POST /api/agent-signals. Unknown fields are dropped; every string is bounded. */
export const AgentSignalSchema = z.object({
  agent: z.enum(HOOK_AGENTS),
  pane: z.string().regex(LOCAL_PANE_ID, "a pane id such as %3"),
  socket: z.string().min(1).max(4096),
  event: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, "an event name"),
  notificationType: z.string().max(64).optional(),
  sessionId: z.string().max(200).optional(),
  detail: z.string().max(500).optional(),
  error: z.string().max(1000).optional(),
  internal: z.boolean().optional(),
}) satisfies z.ZodType<AgentSignal>;

/** Events that come from a shared daemon rather than the agent's own process (Codex's notify program). */
export function fromDaemon(s: Pick<AgentSignal, "agent" | "event">): boolean {
  return s.agent === "codex" && s.event === "agent-turn-complete";
}

/**
 * What a hook event says of the agent's state, or null when it says nothing (SessionStart, an
 * idle_prompt reminder, an event we do not know). Claude Code: Notification for a permission
 * prompt or an elicitation dialog and PermissionRequest wait for the person; a prompt or a tool
 * call (failed or refused too) and a subagent's start or stop mean work; Stop is idle, StopFailure an
 * error, SessionEnd the end. Codex's hooks engine (hooks.json) uses Claude Code's names; its notify
 * program only hears agent-turn-complete. Gemini CLI names its events differently (BeforeAgent,
 * BeforeTool, AfterAgent, Notification ToolPermission).
 */
export function stateOfSignal(s: Pick<AgentSignal, "agent" | "event" | "notificationType">): AgentState | null {
  switch (s.event) {
    case "Notification":
      return s.notificationType === "permission_prompt" || s.notificationType === "elicitation_dialog" || s.notificationType === "ToolPermission"
        ? "waiting-for-input"
        : null;
    case "PermissionRequest":
      return "waiting-for-input";
    case "UserPromptSubmit":
    case "PreToolUse":
    case "PostToolUse":
    // The agent goes on after a failed or refused tool, and while its subagents work.
    case "PostToolUseFailure":
    case "PermissionDenied":
    case "SubagentStart":
    case "SubagentStop":
    case "BeforeAgent":
    case "BeforeTool":
    case "AfterTool":
      return "working";
    case "Stop":
    case "AfterAgent":
    case "agent-turn-complete":
      return "idle";
    case "StopFailure":
      return "error";
    case "SessionEnd":
      return "exited";
    default:
      return null;
  }
}
