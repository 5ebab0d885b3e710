import { conformance } from "./conformance.ts";

// Qwen Code's hooks (settings.json "hooks", Claude-style events) are not installed by panecast yet:
// screen only.
// Every core phase is asserted. Where its last runs here went wrong (what clients got, and why):
//   It retries a 401 once: in some runs the retry still runs when the phase ends.
//   "error-401": "working (error → working), in some runs"
//   429 and 529: Qwen Code backs off and retries past the model's six errors (its rate-limit retry
//   ignores generationConfig.maxRetries), then shows the next answer: no error line in the phase.
//   "error-429": "working (error → working, still retrying)"
//   "error-overloaded": "idle (working → idle, the retry answered)"
conformance("qwen");
