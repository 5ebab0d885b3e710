import { conformance } from "./conformance.ts";

// Cline's hooks (its own hook files) are not installed by panecast: screen only.
// Every core phase is asserted. In its last runs here (`npm run bench:agents`, one CLI at a time, at a
// load average of 3–10) streaming, the permission questions, idle after each turn, Esc, the 400/401/429
// errors, typing and exit were right; what went wrong is Cline's own behaviour:
//   Cline's TUI asks before every command when auto-approve is off: its tool policies are per tool
//   (`run_commands`), with no per-command allow list, so the allowed `ls` is a question too.
//   "auto-tool": "waiting-for-input (working → waiting-for-input)"
//   "auto-tool-done": "waiting-for-input (the question stays)"
//   529: Cline backs off and retries past the phase ("Thinking… (esc to cancel)"); the harness then
//   stops it with Esc, as a person would.
//   "error-overloaded": "working (working)"
// Its one-time notices (ClinePass, Cline Desktop) cover the first screen until a key is pressed: the
// scratch HOME marks both shown.
conformance("cline");
