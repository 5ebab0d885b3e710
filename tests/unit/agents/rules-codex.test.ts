import { describeRules } from "../../helpers/agents/rules-suite.ts";

// Codex 0.171 streams an answer under its idle prompt with no working indicator, so those screens
// read idle (the engine's output activity has to say working); screens kept when a hook's state
// reached clients may be drawn a moment later than the hook says.
describeRules("codex", "codex-0.171.0", {
  "hooks/16-error-429.screen": "working",
  "screen/03-stream-done.screen": "working",
  "screen/05-approve-slow-approved.screen": "waiting-for-input",
  "screen/07-approve-quick-asked.screen": "working",
  "screen/08-approve-quick-approved.screen": "waiting-for-input",
  "screen/10-auto-tool.screen": "idle",
  "screen/12-esc-streaming.screen": "idle",
  "screen/16-error-429.screen": "working",
});
