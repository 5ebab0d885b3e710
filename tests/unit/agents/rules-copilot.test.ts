import { describeRules } from "../../helpers/agents/rules-suite.ts";

// Screens kept at the true moment (the fake server's log, the key pressed) when clients missed the
// state: Copilot CLI drew the question a moment later, had not stopped after Esc ("Working esc esc
// edit prompt"), and was still retrying the 529 (five retries, 16 s) into the typing phase. A screen
// says nothing decisive before the first prompt.
describeRules(
  "copilot",
  "copilot-1.0.102",
  {
    "screen/01-start.screen": "idle",
    "screen/07-approve-quick-asked.screen": "working",
    "screen/13-esc-pressed.screen": "working",
    "screen/17-error-overloaded.screen": "working",
    "screen/18-typing.screen": "working",
  },
  ["screen"],
);
