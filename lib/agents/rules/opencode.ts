/**
 * OpenCode's screen, from the recorded screens of 1.18.33 (tests/fixtures/agents/opencode-1.18.33).
 * The footer under the input box says it all. Working: "⬝⬝⬝⬝■■■■  esc interrupt" ("esc again to
 * interrupt" after one Esc), and while it backs off "Provider is overloaded [retrying in 8s attempt
 * #4]". Waiting: "△ Permission required" with "Allow once   Allow always   Reject". Idle: the same
 * footer with the work tree and "ctrl+p commands" (working is read first), or the first screen's
 * "Ask anything…". Errors are drawn as a message with a red border and no marker in the text, so
 * the screen cannot tell them from an answer.
 */
export const OPENCODE_RULES = {
  waiting: ["permission required", "allow once\\s+allow always", "\\ballow once\\b.*\\breject\\b"],
  working: ["esc (again to )?interrupt", "\\[retrying in \\d+s"],
  idle: ["ctrl\\+p commands", "ask anything"],
  error: ["^\\s*error:", "api error", "provider ?error"],
};
