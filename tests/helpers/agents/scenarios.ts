import type { AgentState } from "../../../lib/protocol.ts";
import type { FakeModel, LogEntry } from "./fake-model.ts";
import { ALLOWED_COMMAND, ASKED_COMMAND } from "./home.ts";
import type { AgentRun, PhaseResult } from "./run.ts";
import { until } from "../tmux.ts";

/** Long enough on screen to be seen working, short enough to keep the suite lean. */
const SLOW = { chunkMs: 250, chunks: 14 } as const;

/** The next main request's log entry once it has come in (the model's turn started). */
function nextRequest(fake: FakeModel, from: number): () => number | null {
  return () => fake.log.slice(from).find((e) => e.turn !== "side")?.at ?? null;
}

/** When the `kind` answer of this phase was complete (the model's turn ended, or its error sent). */
function ended(fake: FakeModel, from: number, kind: LogEntry["turn"]): () => number | null {
  return () => fake.log.slice(from).find((e) => e.turn === kind)?.endedAt ?? null;
}

/** What the agent itself knows, phase by phase, for the scenarios of the issue, chained in one session. */
export const PHASES: { name: string; want: AgentState }[] = [
  { name: "start", want: "idle" },
  { name: "stream", want: "working" },
  { name: "stream-done", want: "idle" },
  { name: "approve-slow-asked", want: "waiting-for-input" },
  { name: "approve-slow-approved", want: "working" },
  { name: "approve-slow-done", want: "idle" },
  { name: "approve-quick-asked", want: "waiting-for-input" },
  { name: "approve-quick-approved", want: "working" },
  { name: "approve-quick-done", want: "idle" },
  { name: "auto-tool", want: "working" },
  { name: "auto-tool-done", want: "idle" },
  { name: "esc-streaming", want: "working" },
  { name: "esc-pressed", want: "idle" },
  { name: "error-400", want: "error" },
  { name: "error-401", want: "error" },
  { name: "error-429", want: "error" },
  { name: "error-overloaded", want: "error" },
  { name: "typing", want: "idle" },
  { name: "exit", want: "exited" },
];

const want = (name: string): AgentState => PHASES.find((p) => p.name === name)!.want;

/** Runs every phase of PHASES in order in one CLI session. */
export async function runScenarios(r: AgentRun): Promise<PhaseResult[]> {
  const { fake, cli } = r;
  const p = (name: string, act: Parameters<AgentRun["phase"]>[2], opts?: Parameters<AgentRun["phase"]>[3]) => r.phase(name, want(name), act, opts);

  await p("start", async () => {
    await r.launch();
    await waitScreen(r, cli.ready, cli.startMs ?? 60_000);
    return null;
  });

  let mark = fake.log.length;
  await p("stream", async () => {
    fake.queue({ kind: "text", text: "A streamed answer, written slowly so that it is seen on screen while it streams.", ...SLOW });
    await r.prompt("Tell me something");
    return nextRequest(fake, mark);
  }, { holdMs: 800 });
  await p("stream-done", async () => ended(fake, mark, "text"));

  for (const speed of ["slow", "quick"] as const) {
    mark = fake.log.length;
    await p(`approve-${speed}-asked`, async () => {
      fake.queue({ kind: "tool", command: ASKED_COMMAND, escalate: true }, { kind: "text", text: "The file is made; this answer streams slowly after the tool ran.", ...SLOW });
      await r.prompt(`Make a file (${speed})`);
      return ended(fake, mark, "tool");
    }, { holdMs: speed === "slow" ? 3000 : 0 });
    await p(`approve-${speed}-approved`, () => approve(r), { holdMs: 800, never: ["idle"] });
    await p(`approve-${speed}-done`, async () => ended(fake, mark, "text"));
  }

  mark = fake.log.length;
  await p("auto-tool", async () => {
    fake.queue({ kind: "tool", command: ALLOWED_COMMAND }, { kind: "text", text: "Listed the files; this answer streams slowly after the allowed tool ran.", ...SLOW });
    await r.prompt("List the files");
    return nextRequest(fake, mark);
  }, { holdMs: 800, never: ["waiting-for-input"] });
  await p("auto-tool-done", async () => ended(fake, mark, "text"), { never: ["waiting-for-input"] });

  mark = fake.log.length;
  await p("esc-streaming", async () => {
    fake.queue({ kind: "hang", text: "An answer that never ends" });
    await r.prompt("Start something long");
    return nextRequest(fake, mark);
  }, { holdMs: 800 });
  // Esc only once the answer streams: a CLI slow to send its request (a loaded machine) would
  // otherwise be stopped before it, and some (Qwen Code) send it anyway and hang on it.
  await until(() => fake.log.slice(mark).some((e) => e.turn === "hang"), `${cli.name}: the answer to stream`, 60_000).catch(() => null);
  await p("esc-pressed", () => interrupt(r));

  const errors: [string, number, string, Record<string, string>][] = [
    // Not "prompt is too long": Claude Code answers that one by compacting and trying again.
    ["error-400", 400, "messages.0.content: unexpected value in the request", {}],
    ["error-401", 401, "invalid x-api-key", {}],
    ["error-429", 429, "Rate limited: too many requests", rateLimitHeaders()],
    ["error-overloaded", cli.name === "gemini" ? 503 : 529, "Overloaded", {}],
  ];
  for (const [name, status, message, headers] of errors) {
    mark = fake.log.length;
    await p(name, async () => {
      // Enough for every retry the CLI makes; what is left is cleared after the phase.
      fake.queue(...Array.from({ length: 6 }, () => ({ kind: "error" as const, status, message, headers })));
      await r.prompt(`Try ${name}`);
      return () => fake.log.slice(mark).filter((e) => e.turn === "error").at(-1)?.endedAt ?? null;
      // The first error is held past the engine's 5 s hook window; each later one must be sent anew.
    }, { timeoutMs: 40_000, holdMs: name === "error-400" ? 6000 : 1500, fresh: name !== "error-400", giveUpMs: 10_000 });
    fake.clear();
  }

  const draft = "a prompt not sent yet";
  await p("typing", () => r.send({ text: draft }), { holdMs: 2500, never: ["working", "error"] });
  await r.send({ keys: Array.from({ length: draft.length }, () => "BSpace" as const) });

  await p("exit", async () => {
    await r.prompt(cli.exitCommand);
    // Gemini CLI runs its SessionEnd hooks before it leaves: slow on a loaded machine.
    await waitScreen(r, /^\$\s*$/m, 60_000);
    return Date.now();
  });
  return r.results;
}

/**
 * Presses the approve keys through panecast once the question is up; again if it is still up a second later (Gemini
 * CLI ignores keys for a moment after drawing its dialog). The true moment is the press that landed.
 */
async function approve(r: AgentRun): Promise<number> {
  // A person answers the question once it is on screen: a CLI slow to draw it (a loaded machine)
  // would otherwise take the keys as typing, and the question would stay.
  await waitScreen(r, r.cli.asking, 20_000).catch(() => null);
  for (let i = 0; ; i++) {
    const at = await r.send({ keys: r.cli.approve });
    const deadline = Date.now() + 1000;
    while (Date.now() < deadline) {
      if (!r.cli.asking.test(await r.screen(false))) return at;
      await new Promise((res) => setTimeout(res, 50));
    }
    if (i === 4) throw new Error(`${r.cli.name} still asks after ${i + 1} approvals; its screen:\n${await r.screen(false)}`);
  }
}

/**
 * Esc, as a person stops a turn; again once the CLI asks for a second press (OpenCode: "esc again to
 * interrupt"). The true moment is the press that stops it.
 */
async function interrupt(r: AgentRun): Promise<number> {
  const at = await r.send({ keys: ["Escape"] });
  const again = r.cli.interruptAgain;
  if (!again) return at;
  // Not asked for a second press (the turn already stopped, or the CLI was not streaming yet): done.
  const asked = await waitScreen(r, again, 5000).then(() => true, () => false);
  return asked ? r.send({ keys: ["Escape"] }) : at;
}

function rateLimitHeaders(): Record<string, string> {
  // The reset an hour ahead (shown by CLIs that show it); retry-after short, so the one retry is quick.
  const reset = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, "Z");
  return { "retry-after": "1", "anthropic-ratelimit-requests-reset": reset, "anthropic-ratelimit-tokens-reset": reset, "x-ratelimit-reset-requests": "3600s" };
}

async function waitScreen(r: AgentRun, re: RegExp, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const text = await r.screen(false);
    if (re.test(text)) return;
    if (Date.now() > deadline) throw new Error(`${r.cli.name} did not show ${re} within ${ms} ms; its screen:\n${text}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}
