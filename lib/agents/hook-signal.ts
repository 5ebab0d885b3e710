import { z } from "zod";
import { HOOK_AGENTS, type AgentSignal, type AgentState } from "../protocol.ts";

/** The body of POST /api/agent-signals. Unknown fields are dropped; every string is bounded. */
export const AgentSignalSchema = z.object({
  agent: z.enum(HOOK_AGENTS),
  pane: z.string().regex(/^%\d{1,9}$/, "a pane id such as %3"),
  socket: z.string().min(1).max(4096),
  event: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, "an event name"),
  notificationType: z.string().max(64).optional(),
  sessionId: z.string().max(200).optional(),
  detail: z.string().max(500).optional(),
}) satisfies z.ZodType<AgentSignal>;

/**
 * What a hook event says of the agent's state, or null when it says nothing (SessionStart, an
 * idle_prompt reminder, an event we do not know). Claude Code: Notification for a permission
 * prompt or an elicitation dialog and PermissionRequest wait for the person; a prompt or a tool
 * call means work; Stop is idle, StopFailure an error, SessionEnd the end. Gemini CLI names its
 * events differently (BeforeAgent, BeforeTool, AfterAgent, Notification ToolPermission); Codex's
 * notify program only hears agent-turn-complete.
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
