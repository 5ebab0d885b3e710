import { conformance } from "./conformance.ts";

conformance("claude", {
  hooks: {
    // PreToolUse/PermissionRequest come after the approval is already given: the hook's waiting
    // outlives the quick approval while the screen says "esc to interrupt".
    "approve-quick-approved": "waiting-for-input (working → waiting-for-input)",
    // Typed text below an old error line: the error above the box is still read.
    typing: "error (no change)",
  },
  screen: {
    typing: "error (no change)",
  },
});
