import { conformance } from "./conformance.ts";

// Copilot CLI runs with its BYOK provider settings (no GitHub sign-in). Its hooks are not installed
// by panecast: screen only.
// Every core phase is asserted. Where its last runs here went wrong (what clients got, and why):
//   Esc before it drew the first token ("esc again to edit prompt"): two presses did not stop it.
//   "esc-pressed": "working (idle → working)"
//   529: it retries five times (16 s) before "✗ Failed to get response … Last error: 529".
//   "error-overloaded": "working (working)"
//   typing: "error (the 529's error line came during this phase)"
conformance("copilot");
