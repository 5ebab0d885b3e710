import { describeRules } from "../../helpers/agents/rules-suite.ts";

// Screens kept at the true moment (the fake server's log, the key pressed) when clients missed the
// state are often drawn a moment before Qwen Code redraws (the spinner still up after the stream
// ended, the dialog still up after the approval, the typed prompt not yet sent), so they still show
// the last state; and a screen says nothing decisive before the CLI's first prompt.
describeRules(
  "qwen",
  "qwen-0.24.4",
  {
    "screen/01-start.screen": "idle",
    "screen/03-stream-done.screen": "working",
    "screen/08-approve-quick-approved.screen": "waiting-for-input",
    "screen/09-approve-quick-done.screen": "working",
    "screen/15-error-401.screen": "idle",
    "screen/17-error-overloaded.screen": "working",
  },
  ["screen"],
);
