import { conformance } from "./conformance.ts";

conformance("gemini", {
  hooks: {
    // Gemini CLI runs its hooks one after the other and waits for them (node starting twice per
    // event on a loaded machine): AfterAgent's hook can still run when the next turn starts, and its
    // idle lands on that turn.
    "approve-slow-done": "working (working → idle → working)",
    "approve-quick-asked": "working (idle → working → working)",
    "approve-quick-approved": "waiting-for-input (held after the approval)",
    "approve-quick-done": "waiting-for-input (waiting-for-input)",
  },
  screen: {
    // 429 and 503: Gemini CLI backs off (5 s and more) and falls back to another model; the error
    // line comes late or not at all within the phase.
    "error-429": "idle (working → idle)",
    "error-overloaded": "idle (working → idle)",
  },
});
