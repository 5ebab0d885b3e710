import type { AgentState, ErrorReason, SendKey } from "../../../lib/protocol.ts";
import { until } from "../tmux.ts";
import type { FakeModel, LogEntry } from "./fake-model.ts";
import { ALLOWED_COMMAND, ASKED_COMMAND } from "./home.ts";
import type { AgentRun, PhaseResult } from "./run.ts";

/** Long enough on screen to be seen working, short enough to keep the suite lean. */
const SLOW = { chunkMs: 250, chunks: 14 } as const;

/** When the first request for `prompt` came in (the model's turn started). */
function nextRequest(fake: FakeModel, prompt: string): () => number | null {
  return () => fake.log.find((e) => e.prompt === prompt)?.at ?? null;
}

/** When the `kind` answer to `prompt` was complete (the model's turn ended, or its error sent). */
function ended(fake: FakeModel, prompt: string, kind: LogEntry["turn"]): () => number | null {
  return () => fake.log.find((e) => e.prompt === prompt && e.turn === kind)?.endedAt ?? null;
}

/**
 * What the agent itself knows, phase by phase, for the scenarios of the issue, chained in one session.
 * `core`: the phases `npm test` runs (a streamed answer, a permission approved, an auto-allowed tool,
 * Esc, one API error with its reason, typing without sending, exit); `npm run bench:agents` runs all.
 */
export const PHASES: { name: string; want: AgentState; reason?: ErrorReason; core?: true }[] = [
  { name: "start", want: "idle", core: true },
  { name: "stream", want: "working", core: true },
  { name: "stream-done", want: "idle", core: true },
  { name: "approve-slow-asked", want: "waiting-for-input" },
  { name: "approve-slow-approved", want: "working" },
  { name: "approve-slow-done", want: "idle" },
  { name: "approve-quick-asked", want: "waiting-for-input", core: true },
  { name: "approve-quick-approved", want: "working", core: true },
  { name: "approve-quick-done", want: "idle", core: true },
  { name: "auto-tool", want: "working", core: true },
  { name: "auto-tool-done", want: "idle", core: true },
  { name: "esc-streaming", want: "working", core: true },
  { name: "esc-pressed", want: "idle", core: true },
  { name: "error-400", want: "error" },
  { name: "error-401", want: "error", reason: "auth", core: true },
  { name: "error-429", want: "error", reason: "rate-limit" },
  { name: "error-overloaded", want: "error", reason: "overloaded" },
  { name: "typing", want: "idle", core: true },
  { name: "exit", want: "exited", core: true },
];

/** The phases of one run: all of them, or the core ones (`npm test`). */
export type PhaseSet = "all" | "core";

export function phasesOf(set: PhaseSet): typeof PHASES {
  return set === "all" ? PHASES : PHASES.filter((p) => p.core);
}

/**
 * The Gemini API's own 429 for a spent per-day quota (its QuotaFailure and RetryInfo details): Gemini
 * CLI calls it terminal and shows its "Usage limit reached" box. A 429 without details it retries and
 * then answers from another model, which no person would call an error.
 */
const GEMINI_QUOTA = {
  message: "You exceeded your current quota, please check your plan and billing details.",
  details: [
    { "@type": "type.googleapis.com/google.rpc.QuotaFailure", violations: [{ quotaMetric: "generativelanguage.googleapis.com/generate_content_free_tier_requests", quotaId: "GenerateRequestsPerDayPerProjectPerModel-FreeTier", quotaValue: "250" }] },
    { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "37s" },
  ],
};

/**
 * Where a CLI itself knows something else. Gemini CLI 0.61 retries an overloaded model (a 503, or a
 * 429 or 503 saying the capacity is exhausted) without end, with back-off, showing only "Thinking…"
 * (recorded: 40 and more requests, no error drawn): it is still at work, and Esc ends it.
 */
const OWN: Partial<Record<AgentRun["cli"]["name"], Record<string, { want: AgentState; reason?: ErrorReason }>>> = {
  gemini: { "error-overloaded": { want: "working" } },
};

/** Runs the phases of `set` in order in one CLI session. */
export async function runScenarios(r: AgentRun, set: PhaseSet = "all"): Promise<PhaseResult[]> {
  const { fake, cli } = r;
  const chosen = phasesOf(set);
  const has = (name: string) => chosen.some((c) => c.name === name);
  const p = async (name: string, act: Parameters<AgentRun["phase"]>[2], opts?: Parameters<AgentRun["phase"]>[3]) => {
    const found = chosen.find((c) => c.name === name);
    if (!found) return;
    const own = OWN[cli.name]?.[name];
    const def = own ? { name, ...own } : found;
    await r.phase(name, def.want, act, { ...opts, ...(def.reason ? { reason: def.reason } : {}) });
  };

  await p("start", async () => {
    await r.launch();
    // A one-time dialog (Codex's review of new hooks) may come up before the prompt does.
    await waitScreen(r, new RegExp([cli.ready, ...cli.dialogs.map((d) => d.screen)].map((re) => re.source).join("|")), cli.startMs ?? 60_000);
    await r.answerDialogs();
    await waitScreen(r, cli.ready, cli.startMs ?? 60_000);
    // Gemini CLI draws its prompt before its SessionStart hooks have run, and queues what is typed
    // meanwhile ("Initializing... Prompts will be queued."): a person waits for it to settle.
    if (r.mode === "hooks" && cli.name === "gemini") await until(() => r.sawHook("SessionStart"), "Gemini CLI's SessionStart hooks", 60_000);
    return null;
  });

  await p("stream", async () => {
    fake.script("Tell me something", { kind: "text", text: "A streamed answer, written slowly so that it is seen on screen while it streams.", ...SLOW });
    await r.prompt("Tell me something");
    return nextRequest(fake, "Tell me something");
  }, { holdMs: 800 });
  await p("stream-done", async () => ended(fake, "Tell me something", "text"), { afterMoment: true });

  for (const speed of (["slow", "quick"] as const).filter((sp) => has(`approve-${sp}-asked`))) {
    await p(`approve-${speed}-asked`, async () => {
      fake.script(`Make a file (${speed})`, { kind: "tool", command: ASKED_COMMAND, escalate: true }, { kind: "text", text: "The file is made; this answer streams slowly after the tool ran.", ...SLOW });
      await r.prompt(`Make a file (${speed})`);
      return ended(fake, `Make a file (${speed})`, "tool");
    }, { holdMs: speed === "slow" ? 3000 : 0, giveUpMs: 15_000, timeoutMs: 40_000 });
    await p(`approve-${speed}-approved`, () => approve(r), { holdMs: 800, never: ["idle"] });
    await p(`approve-${speed}-done`, async () => ended(fake, `Make a file (${speed})`, "text"), { afterMoment: true, timeoutMs: 40_000 });
  }

  await p("auto-tool", async () => {
    fake.script("List the files", { kind: "tool", command: ALLOWED_COMMAND }, { kind: "text", text: "Listed the files; this answer streams slowly after the allowed tool ran.", ...SLOW });
    await r.prompt("List the files");
    return nextRequest(fake, "List the files");
  }, { holdMs: 800, never: ["waiting-for-input"] });
  await p("auto-tool-done", async () => ended(fake, "List the files", "text"), { never: ["waiting-for-input"], afterMoment: true, timeoutMs: 40_000 });

  await p("esc-streaming", async () => {
    fake.script("Start something long", { kind: "hang", text: "An answer that never ends" });
    await r.prompt("Start something long");
    return nextRequest(fake, "Start something long");
  }, { holdMs: 800 });
  // Esc only once the answer streams: a CLI slow to send its request (a loaded machine) would
  // otherwise be stopped before it, and some (Qwen Code) send it anyway and hang on it.
  await until(() => fake.log.some((e) => e.prompt === "Start something long"), `${cli.name}: the answer to stream`, 60_000).catch(() => null);
  await p("esc-pressed", () => interrupt(r));

  const gemini = cli.name === "gemini";
  const errors: { name: string; status: number; message: string; headers?: Record<string, string>; details?: unknown[] }[] = [
    // Not "prompt is too long": Claude Code answers that one by compacting and trying again.
    { name: "error-400", status: 400, message: "messages.0.content: unexpected value in the request" },
    { name: "error-401", status: 401, message: "invalid x-api-key" },
    gemini ? { name: "error-429", status: 429, ...GEMINI_QUOTA } : { name: "error-429", status: 429, message: "Rate limited: too many requests", headers: rateLimitHeaders() },
    gemini ? { name: "error-overloaded", status: 503, message: "The model is overloaded. Please try again later." } : { name: "error-overloaded", status: 529, message: "Overloaded" },
  ];
  const first = errors.find((e) => has(e.name))?.name;
  for (const { name, ...error } of errors.filter((e) => has(e.name))) {
    await p(name, async () => {
      // Every request of the phase fails (a CLI retries as often as it likes), until cleared after.
      fake.script(`Try ${name}`, { kind: "error", ...error });
      await r.prompt(`Try ${name}`);
      return () => fake.log.filter((e) => e.prompt === `Try ${name}`).at(-1)?.endedAt ?? null;
      // The first error is held past the engine's 5 s hook window; each later one must be sent anew.
    }, { timeoutMs: 40_000, holdMs: name === first ? 6000 : 1500, fresh: name !== first, giveUpMs: 10_000 });
    fake.clear();
    // A CLI still retrying (its own back-off past the phase: Qwen Code, OpenCode, Cline) is stopped as
    // a person would, with Esc (twice for a CLI that asks so), so the next phase starts at its prompt.
    if (OWN[cli.name]?.[name]?.want === "working") {
      await r.send({ keys: ["Escape"] });
      await waitScreen(r, cli.ready, 20_000);
      // Gemini CLI shows its input box while it works: the next phase waits for its spinner to go
      // (typing during its retry was typing into a working CLI, and timed from the wrong moment).
      await untilStopped(r);
    } else if (r.current() === "working") {
      // Again while it still works: a prompt typed during a retry was queued behind it (Qwen Code).
      for (let i = 0; i < 3; i++) {
        await r.send({ keys: ["Escape"] });
        const again = cli.interruptAgain;
        if (again && (await waitScreen(r, again, 3000).then(() => true, () => false))) await r.send({ keys: ["Escape"] });
        if (await waitScreen(r, cli.ready, 8000).then(() => true, () => false)) break;
      }
      // Qwen Code puts a cancelled prompt back into its input box: a person deletes it before typing anew.
      await until(() => r.current() !== "working", `${cli.name} to stop`, 5000).catch(() => null);
      if ((await r.screen(false)).includes(`Try ${name}`) && !cli.ready.test(await r.screen(false))) {
        await r.send({ keys: Array.from({ length: `Try ${name}`.length }, () => "BSpace" as const) });
        await waitScreen(r, cli.ready, 5000).catch(() => null);
      }
    }
    // Gemini CLI's quota box asks "Keep trying / Stop": stop, as a person who read it does.
    if (/Keep trying/.test(await r.screen(false))) {
      await r.send({ keys: ["2"] });
      await until(async () => !/Keep trying/.test(await r.screen(false)), "the quota box to close", 10_000);
    }
  }

  const draft = "a prompt not sent yet";
  await p("typing", () => r.send({ text: draft }), { holdMs: 2500, never: ["working", "error"] });
  await r.send({ keys: Array.from({ length: draft.length }, () => "BSpace" as const) });

  await p("exit", async () => {
    await r.prompt(cli.exitCommand);
    // Gemini CLI runs its SessionEnd hooks before it leaves: slow on a loaded machine.
    await waitScreen(r, /^\$\s*$/m, 60_000, { every: 5000, unless: cli.exitCommand, keys: ["Enter"] });
    return Date.now();
  });
  return r.results;
}

/**
 * Presses the approve keys through panecast; again if the question is still up a second later (Gemini
 * CLI ignores keys for a moment after drawing its dialog, and redraws it while its hooks run). The
 * question must stay gone for five screens in a row. The true moment is the press that landed.
 */
async function approve(r: AgentRun): Promise<number> {
  // A person answers the question once it is on screen: a CLI slow to draw it (a loaded machine)
  // would otherwise take the keys as typing, and the question would stay.
  await waitScreen(r, r.cli.asking, 20_000).catch(() => null);
  for (let i = 0; ; i++) {
    const at = await r.send({ keys: r.cli.approve });
    // Gone for half a second, not one frame of a redraw (Gemini CLI redraws its dialog while it settles).
    const deadline = Date.now() + 2000;
    let gone = 0;
    while (Date.now() < deadline) {
      gone = r.cli.asking.test(await r.screen(false)) ? 0 : gone + 1;
      if (gone === 5) return at;
      await new Promise((res) => setTimeout(res, 100));
    }
    if (i === 4) throw new Error(`${r.cli.name} still asks after ${i + 1} approvals; its screen:\n${await r.screen(false)}`);
  }
}

/** Until the CLI's working indicator is off its screen, pressing Esc again (twice at most) if not taken. */
async function untilStopped(r: AgentRun): Promise<void> {
  const working = r.cli.working;
  for (let i = 0; working && i < 3; i++) {
    if (await until(async () => !working.test(await r.screen(false)), `${r.cli.name} to stop`, 3000).then(() => true, () => false)) return;
    if (i < 2) await r.send({ keys: ["Escape"] });
  }
}

/**
 * Esc, as a person stops a turn; again once the CLI asks for a second press (OpenCode: "esc again to
 * interrupt"). The true moment is the press that stops it.
 */
async function interrupt(r: AgentRun): Promise<number> {
  let at = await r.send({ keys: ["Escape"] });
  // An Esc the CLI did not take (Gemini CLI, busy drawing on a loaded machine): the stream stays open
  // and its spinner up; a person presses it again.
  const working = r.cli.working;
  for (let i = 0; working && i < 2; i++) {
    const open = () => r.fake.log.some((e) => e.prompt === "Start something long" && e.endedAt === null);
    const stopped = await until(async () => !open() || !working.test(await r.screen(false)), "the turn to stop", 3000).then(() => true, () => false);
    if (stopped) break;
    at = await r.send({ keys: ["Escape"] });
  }
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

/**
 * Until the screen shows `re`. With `again`: while the screen still holds `again.unless` (a command
 * left in the input box: on a loaded machine Gemini CLI once took the Enter after `/quit` as part of
 * the typing and kept the command), the keys are pressed again every `again.every` ms, as a person
 * would. An Enter that reaches the shell after the CLI left only prints another prompt.
 */
async function waitScreen(r: AgentRun, re: RegExp, ms: number, again?: { every: number; unless: string; keys: SendKey[] }): Promise<void> {
  const deadline = Date.now() + ms;
  let next = Date.now() + (again?.every ?? 0);
  for (;;) {
    const text = await r.screen(false);
    if (re.test(text)) return;
    if (Date.now() > deadline) throw new Error(`${r.cli.name} did not show ${re} within ${ms} ms; its screen:\n${text}`);
    if (again && Date.now() > next && text.includes(again.unless)) {
      await r.send({ keys: again.keys });
      next = Date.now() + again.every;
    }
    await new Promise((res) => setTimeout(res, 100));
  }
}
