import { describeRules } from "../../helpers/agents/rules-suite.ts";

// Screens kept when a hook's state reached clients are often drawn a moment later than the hook says
// (Claude Code spins through "running stop hooks…", Gemini CLI runs its hooks before the dialog), so
// they still show the last state; and a screen says nothing decisive before the CLI's first prompt.
describeRules("claude", "claude-2.1.197", {
  "hooks/01-start.screen": "idle",
  "hooks/03-stream-done.screen": "working",
  "hooks/06-approve-slow-done.screen": "working",
  "hooks/09-approve-quick-done.screen": "working",
  "hooks/10-auto-tool.screen": "idle",
  "hooks/11-auto-tool-done.screen": "working",
  "hooks/13-esc-pressed.screen": "working",
  "hooks/15-error-401.screen": "working",
  "hooks/17-error-overloaded.screen": "working",
  "screen/01-start.screen": "idle",
  "screen/06-approve-slow-done.screen": "working",
});
