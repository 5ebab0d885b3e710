import type http from "node:http";
import { closed, json, pause, pieces, sse, startFakeModel, startSse, textOf, type FakeModel, type Said, type Turn, type Wire } from "./fake-model.ts";

type Tool = { type?: string; name?: string; parameters?: { properties?: Record<string, unknown> } };
type Body = { model?: string; stream?: boolean; tools?: Tool[] } | null;

let ids = 0;
const id = (p: string) => `${p}_${Date.now().toString(36)}${(ids++).toString(36)}`;

/**
 * The shell tool the CLI offered and the arguments it takes: Codex has shipped `shell` (argv array),
 * `shell_command` (a string) and `exec_command` (`cmd`); answer with whichever this version offers.
 */
function shellCall(body: Body, command: string, escalate: boolean): { name: string; arguments: string } {
  const ask = escalate ? { sandbox_permissions: "require_escalated", justification: "Create a file in the repository?" } : {};
  const tools = body?.tools ?? [];
  const named = (n: string) => tools.find((t) => t.name === n);
  const exec = named("exec_command");
  if (exec) return { name: "exec_command", arguments: JSON.stringify({ cmd: command, ...ask }) };
  const sc = named("shell_command");
  if (sc) return { name: "shell_command", arguments: JSON.stringify({ command, ...ask }) };
  return { name: "shell", arguments: JSON.stringify({ command: ["bash", "-lc", command], ...ask }) };
}

function response(model: string, status: string, output: unknown[] = []) {
  return { id: id("resp"), object: "response", created_at: Math.floor(Date.now() / 1000), status, model, output, usage: status === "completed" ? { input_tokens: 12, input_tokens_details: { cached_tokens: 0 }, output_tokens: 8, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 20 } : null };
}

async function streamText(res: http.ServerResponse, model: string, text: string, chunkMs: number, chunks: number, hang = false): Promise<void> {
  startSse(res);
  const r = response(model, "in_progress");
  sse(res, "response.created", { type: "response.created", response: r });
  const item = { type: "message", id: id("msg"), role: "assistant", status: "in_progress", content: [] as unknown[] };
  sse(res, "response.output_item.added", { type: "response.output_item.added", output_index: 0, item });
  sse(res, "response.content_part.added", { type: "response.content_part.added", item_id: item.id, output_index: 0, content_index: 0, part: { type: "output_text", text: "", annotations: [] } });
  for (const piece of pieces(text, chunks)) {
    if (!sse(res, "response.output_text.delta", { type: "response.output_text.delta", item_id: item.id, output_index: 0, content_index: 0, delta: piece })) return;
    await pause(chunkMs);
  }
  if (hang) {
    await closed(res);
    return;
  }
  const done = { ...item, status: "completed", content: [{ type: "output_text", text, annotations: [] }] };
  sse(res, "response.output_text.done", { type: "response.output_text.done", item_id: item.id, output_index: 0, content_index: 0, text });
  sse(res, "response.output_item.done", { type: "response.output_item.done", output_index: 0, item: done });
  sse(res, "response.completed", { type: "response.completed", response: { ...response(model, "completed", [done]), id: r.id } });
  res.end();
}

const wire: Wire = {
  isMain: (p, body) => p.endsWith("/responses") && Array.isArray((body as Body)?.tools) && ((body as Body)?.tools?.length ?? 0) > 0,
  messages: (body) => {
    const input = (body as { input?: unknown } | null)?.input;
    if (typeof input === "string") return [{ role: "user", text: input }];
    return (Array.isArray(input) ? (input as { type?: string; role?: string; content?: unknown }[]) : []).map((i): Said => {
      if (i?.type === "function_call_output" || i?.type === "custom_tool_call_output") return { role: "tool" };
      return (i?.type === "message" || i?.type === undefined) && i?.role === "user" ? { role: "user", text: textOf(i.content) } : { role: "other" };
    });
  },
  side(req, raw, res) {
    const p = (req.url ?? "").split("?")[0]!;
    if (p.endsWith("/models")) return json(res, 200, { object: "list", data: [{ id: "gpt-fake", object: "model", created: 0, owned_by: "harness" }], models: [] });
    if (p.endsWith("/responses")) return void streamText(res, (raw as Body)?.model ?? "gpt-fake", "Fake title", 0, 1);
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
        startSse(res);
        const r = response(model, "in_progress");
        sse(res, "response.created", { type: "response.created", response: r });
        const call = shellCall(body, turn.command, turn.escalate ?? false);
        const item = { type: "function_call", id: id("fc"), call_id: id("call"), name: call.name, arguments: "", status: "in_progress" };
        sse(res, "response.output_item.added", { type: "response.output_item.added", output_index: 0, item });
        sse(res, "response.function_call_arguments.delta", { type: "response.function_call_arguments.delta", item_id: item.id, output_index: 0, delta: call.arguments });
        const done = { ...item, arguments: call.arguments, status: "completed" };
        sse(res, "response.function_call_arguments.done", { type: "response.function_call_arguments.done", item_id: item.id, output_index: 0, arguments: call.arguments });
        sse(res, "response.output_item.done", { type: "response.output_item.done", output_index: 0, item: done });
        sse(res, "response.completed", { type: "response.completed", response: { ...response(model, "completed", [done]), id: r.id } });
        res.end();
        return;
      }
      case "error":
        return json(res, turn.status, { error: { message: turn.message, type: turn.status === 429 ? "rate_limit_exceeded" : turn.status === 401 ? "invalid_api_key" : "invalid_request_error", code: null } }, turn.headers);
    }
  },
};

/** The OpenAI Responses API (SSE), as Codex reaches it through a custom model_provider. */
export const startFakeResponses = (): Promise<FakeModel> => startFakeModel(wire);
