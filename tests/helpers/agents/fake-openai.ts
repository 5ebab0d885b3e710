import type http from "node:http";
import { closed, json, pause, pieces, sse, startFakeModel, startSse, textOf, type FakeModel, type Said, type Turn, type Wire } from "./fake-model.ts";

type Tool = { type?: string; function?: { name?: string; parameters?: { properties?: Record<string, unknown>; required?: string[] } } };
type Body = { model?: string; stream?: boolean; tools?: Tool[] } | null;

let ids = 0;
const id = (p: string) => `${p}-${Date.now().toString(36)}${(ids++).toString(36)}`;

/**
 * The shell tool the CLI offered and its arguments: each CLI names it its own way (Qwen Code
 * `run_shell_command`, OpenCode and Copilot `bash`, Cline `execute_command`); the command goes in
 * `command`, plus the other required fields the CLI's schema asks for. `escalate`: Cline's
 * `requires_approval`, the model asking the person.
 */
function shellCall(body: Body, command: string, escalate: boolean): { name: string; arguments: string } {
  const tools = (body?.tools ?? []).map((t) => t.function ?? {});
  const shell = tools.find((t) => /^(run_shell_command|bash|shell|execute_command|run_command)$/i.test(t.name ?? "")) ?? tools.find((t) => /shell|bash|command/i.test(t.name ?? ""));
  const args: Record<string, unknown> = { command };
  for (const req of shell?.parameters?.required ?? []) {
    if (req in args) continue;
    if (/description|purpose|reason/i.test(req)) args[req] = "Run a command";
    else if (/approval/i.test(req)) args[req] = escalate;
    else if (/timeout/i.test(req)) args[req] = 30_000;
    else if (/background|async/i.test(req)) args[req] = false;
  }
  if (shell?.parameters?.properties && "requires_approval" in shell.parameters.properties) args.requires_approval = escalate;
  return { name: shell?.name ?? "run_shell_command", arguments: JSON.stringify(args) };
}

const base = (model: string) => ({ id: id("chatcmpl"), object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model });
const usage = { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 };

function done(res: http.ServerResponse, model: string, finish: string): void {
  sse(res, null, { ...base(model), choices: [{ index: 0, delta: {}, finish_reason: finish }], usage });
  res.write("data: [DONE]\n\n");
  res.end();
}

async function streamText(res: http.ServerResponse, model: string, text: string, chunkMs: number, chunks: number, hang = false): Promise<void> {
  startSse(res);
  sse(res, null, { ...base(model), choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] });
  for (const piece of pieces(text, chunks)) {
    if (!sse(res, null, { ...base(model), choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })) return;
    await pause(chunkMs);
  }
  if (hang) return closed(res);
  done(res, model, "stop");
}

/** A whole (not streamed) answer: some CLIs ask for a title or a next-speaker check this way. */
function whole(res: http.ServerResponse, model: string, text: string): void {
  json(res, 200, { id: id("chatcmpl"), object: "chat.completion", created: Math.floor(Date.now() / 1000), model, choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }], usage });
}

const ERROR_TYPE: Record<number, string> = { 400: "invalid_request_error", 401: "authentication_error", 429: "rate_limit_error", 529: "overloaded_error", 503: "overloaded_error" };

const wire: Wire = {
  // The agent's turn offers its tools; a title, a summary or a next-speaker check does not.
  isMain: (p, body) => p.endsWith("/chat/completions") && ((body as Body)?.tools?.length ?? 0) > 0,
  messages: (body) =>
    ((body as { messages?: { role?: string; content?: unknown }[] } | null)?.messages ?? []).map((m): Said => (m.role === "tool" ? { role: "tool" } : m.role === "user" ? { role: "user", text: textOf(m.content) } : { role: "other" })),
  side(req, raw, res) {
    const p = (req.url ?? "").split("?")[0]!;
    const body = raw as Body;
    const model = body?.model ?? "gpt-fake";
    if (/\/models\/?$/.test(p)) return json(res, 200, { object: "list", data: [{ id: "gpt-fake", object: "model", created: 0, owned_by: "harness" }] });
    if (p.endsWith("/chat/completions")) {
      if (body?.stream) return void streamText(res, model, "Fake title", 0, 1);
      return whole(res, model, JSON.stringify({ next_speaker: "user", reasoning: "done" }));
    }
    json(res, 404, { error: { message: `no ${p} here`, type: "invalid_request_error" } });
  },
  async answer(turn: Turn, raw, res) {
    const body = raw as Body;
    const model = body?.model ?? "gpt-fake";
    switch (turn.kind) {
      case "text":
        return streamText(res, model, turn.text, turn.chunkMs ?? 60, turn.chunks ?? 12);
      case "hang":
        return streamText(res, model, turn.text, 0, 1, true);
      case "tool": {
        const call = shellCall(body, turn.command, turn.escalate ?? false);
        startSse(res);
        sse(res, null, { ...base(model), choices: [{ index: 0, delta: { role: "assistant", content: turn.text ?? null, tool_calls: [{ index: 0, id: id("call"), type: "function", function: { name: call.name, arguments: "" } }] }, finish_reason: null }] });
        sse(res, null, { ...base(model), choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: call.arguments } }] }, finish_reason: null }] });
        return done(res, model, "tool_calls");
      }
      case "error":
        return json(res, turn.status, { error: { message: turn.message, type: ERROR_TYPE[turn.status] ?? "api_error", code: turn.status === 429 ? "rate_limit_exceeded" : null } }, turn.headers);
    }
  },
};

/** The OpenAI Chat Completions API (SSE), as the CLIs with an OpenAI-compatible provider reach it. */
export const startFakeOpenAI = (): Promise<FakeModel> => startFakeModel(wire);
