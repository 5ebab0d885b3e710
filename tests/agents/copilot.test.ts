import { conformance } from "./conformance.ts";

// Copilot CLI runs with its BYOK provider settings (no GitHub sign-in). Its hooks are not installed
// by panecast: screen only.
// Every core phase is asserted. In its last runs here (`npm run bench:agents`, one CLI at a time, at a
// load average of 3–11) every phase was right, 19 of 19, in three runs: streaming, the permission question,
// idle after each turn, the 400/401/429/529 errors with their reasons (it retries a 529 five times,
// about 15 s, before "✗ Failed to get response … Last error: 529"), typing, and exit to the shell.
// On a machine at a load average of 30–40 it went wrong where Copilot CLI itself was slow:
//   Esc before it drew the first token ("esc again to edit prompt"): two presses did not stop it.
//   "esc-pressed": "working (idle → working)"
//   /exit: the shell's prompt did not come back within 60 s once.
conformance("copilot");
