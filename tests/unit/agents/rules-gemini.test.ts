import { describeRules } from "../../helpers/agents/rules-suite.ts";

// Screens kept when a hook's state reached clients are often drawn a moment later than the hook says
// (Claude Code spins through "running stop hooks…", Gemini CLI runs its hooks before the dialog), so
// they still show the last state; and a screen says nothing decisive before the CLI's first prompt, nor
// while the CLI redraws it from the top (a frame that ends at a prompt echoed in the history).
describeRules("gemini", "gemini-0.61.0", {
  "hooks/01-start.screen": "idle",
  "hooks/03-stream-done.screen": "working",
  "hooks/04-approve-slow-asked.screen": "working",
  "hooks/06-approve-slow-done.screen": "idle",
  "hooks/07-approve-quick-asked.screen": "working",
  "hooks/09-approve-quick-done.screen": "working",
  "screen/01-start.screen": "idle",
  "screen/03-stream-done.screen": "working",
  "screen/16-error-429.screen": "idle",
  "screen/17-error-overloaded.screen": "idle",
});
