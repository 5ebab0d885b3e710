import { afterEach, describe, expect, it } from "vitest";
import { startFakeResponses } from "../../helpers/agents/fake-responses.ts";
import { keyed, type Said } from "../../helpers/agents/fake-model.ts";
import type { FakeModel } from "../../helpers/agents/fake-model.ts";

describe("the harness's fake model servers answer by the prompt a request carries", () => {
  it("finds the latest person's message, its longest scripted prompt, and the tool results after it", () => {
    const said: Said[] = [
      { role: "user", text: "<environment_context>cwd</environment_context>" },
      { role: "user", text: "Make a file (quick)" },
      { role: "other" },
      { role: "tool" },
      { role: "user", text: "<environment_context>again</environment_context>" },
    ];
    expect(keyed(said, ["Make a file", "Make a file (quick)"])).toEqual({ prompt: "Make a file (quick)", step: 1 });
    // The person's latest message matches no script: no older prompt's answer is given again.
    expect(keyed([{ role: "user", text: "Tell me something" }, { role: "other" }, { role: "user", text: "/quit" }], ["Tell me something"])).toBeNull();
  });

  let fake: FakeModel | null = null;
  afterEach(async () => {
    await fake?.close();
    fake = null;
  });

  it("Codex's requests get their own prompt's answers whatever their order, retries included", async () => {
    fake = await startFakeResponses();
    fake.script("List the files", { kind: "tool", command: "ls" }, { kind: "text", text: "Listed.", chunkMs: 0, chunks: 1 });
    fake.script("Tell me something", { kind: "text", text: "Something.", chunkMs: 0, chunks: 1 });
    const tools = [{ type: "function", name: "exec_command" }];
    const ask = async (input: unknown[]) => (await fetch(`${fake!.url}/v1/responses`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "m", stream: true, tools, input }) })).text();
    const user = (text: string) => ({ type: "message", role: "user", content: [{ type: "input_text", text }] });
    // A later prompt's request first, then the earlier one's tool result, then a retry of it.
    expect(await ask([user("Tell me something")])).toContain("Something.");
    expect(await ask([user("List the files"), { type: "function_call", call_id: "c" }, { type: "function_call_output", call_id: "c", output: "a" }])).toContain("Listed.");
    expect(await ask([user("List the files")])).toContain('"name":"exec_command"');
    expect(fake.log.map((e) => [e.prompt, e.turn])).toEqual([
      ["Tell me something", "text"],
      ["List the files", "text"],
      ["List the files", "tool"],
    ]);
  });
});
