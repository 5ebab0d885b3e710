/**
 * Cline CLI's screen (its TUI, `cline -i`), from the recorded screens of 3.0.65
 * (tests/fixtures/agents/cline-3.0.65). Working: "⠏ Thinking... (esc to cancel)", and a running tool's
 * braille spinner ("⠋ run_commands(touch approved.txt)", no hint). Waiting: "Cline
 * needs permission", "Approve tool call?", "[y] Approve   [n] Deny". Idle: the input box at the
 * left margin, "❯ Ask anything..." (the first screen centres it: "❯ What can I do for you?"), above a footer
 * of three lines drawn in every state (model and cost, work tree, "Auto-approve all disabled
 * (Shift+Tab)"), so the footer itself says nothing. Prompts echoed in the history are indented.
 * Errors: "* Error: Rate limited: too many requests" above the box.
 */
export const CLINE_RULES = {
  waiting: ["needs permission", "approve tool call\\?", "\\[y\\] approve\\b.*\\[n\\] deny", "\\(y/n\\)", "\\[y/n\\]"],
  working: ["esc to (cancel|interrupt)", "^\\s*[\\u2801-\\u28ff]\\s+\\S"],
  idle: ["^❯(\\s|$)", "❯ what can i do for you\\?"],
  error: ["^\\s*(\\*\\s+)?error:", "api error", "api request failed"],
};
