import { describeRules } from "../../helpers/agents/rules-suite.ts";

// Screens kept at the true moment (the fake server's log, the key pressed) show what Cline drew
// then: it types a finished answer out for a while (a spinner on its first line) and its dialogs and
// spinners come and go a moment after the model's turn, so those screens still show the last state;
// the recorded run also asked before the allowed `ls` (Cline's TUI has no per-command allow list, so
// the harness's "auto-allowed tool" is a question there), and backed off on 529. A screen says
// nothing decisive before the first prompt.
describeRules(
  "cline",
  "cline-3.0.65",
  {
    "screen/01-start.screen": "idle",
    "screen/02-stream.screen": "idle",
    "screen/03-stream-done.end.screen": "working",
    "screen/04-approve-slow-asked.screen": "idle",
    "screen/06-approve-slow-done.end.screen": "working",
    "screen/06-approve-slow-done.screen": "working",
    "screen/07-approve-quick-asked.screen": "working",
    "screen/11-auto-tool-done.screen": "waiting-for-input",
    "screen/13-esc-pressed.screen": "working",
    "screen/14-error-400.screen": "working",
    "screen/17-error-overloaded.screen": "working",
    "screen/18-typing.screen": "working",
  },
  ["screen"],
);
