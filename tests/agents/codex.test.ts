import { conformance } from "./conformance.ts";

// Codex 0.171 draws no working indicator while it streams an answer (only "Waiting for startup · esc
// cancel" before the first token and "• Working (… esc to interrupt)" while a command runs), and its
// hooks do not say when a turn resumes after an approval: the screen's idle prompt wins then.
const streaming = {
  stream: "idle (working → idle → working → idle), in some runs",
  "approve-slow-approved": "idle (working → idle)",
  "approve-quick-approved": "idle (working → idle)",
  "esc-streaming": "idle (working → idle)",
  // Typed text below an old "■" error line: the error above the box is still read.
  typing: "error (no change)",
};

conformance("codex", {
  hooks: streaming,
  screen: { ...streaming, "auto-tool": "idle (working → idle → working → idle)" },
});
