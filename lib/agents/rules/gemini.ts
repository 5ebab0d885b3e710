/**
 * Gemini CLI's screen, from the recorded screens of 0.61.0 (tests/fixtures/agents/gemini-0.61.0).
 * Working: "⠧ Thinking... (esc to cancel, 1s)", or its hooks running mid-turn, "⠙ Executing Hooks: …" (a
 * spinner; the line may be cut before its "esc to cancel"; after the turn the line has no spinner). Waiting: the tool dialog ("Allow execution of
 * [Shell]?", "● 1. Allow once", "3. No, suggest changes (esc)"). Idle: the box "> Type your message
 * or @path/to/file" (a placeholder) and "? for shortcuts". Errors: "✕ [API Error: {…}]" followed by
 * "ℹ This request failed. Press F12 for diagnostics…". A quota the API calls terminal (a 429 with a
 * per-day QuotaFailure) brings up a box instead: "Usage limit reached for all Pro models." over
 * "● 1. Keep trying / 2. Stop" (a high-demand box reads "We are currently experiencing high demand").
 */
export const GEMINI_RULES = {
  waiting: ["allow execution", "\\b1\\. allow once", "no, suggest changes", "waiting for user confirmation", "\\[y/n\\]", "apply this change\\?"],
  working: ["esc to cancel", "^\\s*[\\u2801-\\u28ff] executing hooks"],
  idle: ["type your message", "\\? for shortcuts"],
  error: ["^\\s*✕\\s", "\\[api error:", "this request failed", "usage limit reached", "experiencing high demand", "\\b1\\. keep trying"],
};
