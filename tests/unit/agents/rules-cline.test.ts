import { describeRules } from "../../helpers/agents/rules-suite.ts";

// Screens kept at the true moment (the fake server's log, the key pressed) show what Cline drew
// then: its dialogs and spinners come a moment after the model's turn, and a prompt typed is drawn
// before it is sent, so those screens still show the last state. Cline asks before every command
// (its TUI has no per-command allow list), so the "auto-allowed" tool is a question; it backs off on
// 529 (still "Thinking…" while the next prompt is typed). Before the first prompt the screen is blank.
describeRules(
  "cline",
  "cline-3.0.65",
  {
    "screen/01-start.screen": "idle",
    "screen/04-approve-slow-asked.screen": "working",
    "screen/07-approve-quick-asked.screen": "working",
    "screen/09-approve-quick-done.screen": "working",
    "screen/10-auto-tool.screen": "idle",
    "screen/11-auto-tool-done.screen": "waiting-for-input",
    "screen/17-error-overloaded.screen": "working",
    "screen/18-typing.screen": "working",
  },
  ["screen"],
);
