import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type { PanecastApp } from "../../../lib/app.ts";
import type { AgentState, AgentStatus, SendKey } from "../../../lib/protocol.ts";
import { client, startPanecast, type TestClient } from "../server.ts";
import { TestTmux, until } from "../tmux.ts";
import type { AgentCli, CliName } from "./clis.ts";
import type { FakeModel } from "./fake-model.ts";
import { makeScratch, type Scratch } from "./home.ts";
import { ensureCli } from "./install.ts";
import { RunTrace } from "./trace.ts";

/** What CLIs read as "running in CI" (the is-in-ci and ci-info checks): CI, CONTINUOUS_INTEGRATION, CI_*, BUILD_NUMBER, RUN_ID. */
const CI_VARIABLE = /^(CI|CONTINUOUS_INTEGRATION|BUILD_NUMBER|RUN_ID)$|^CI_/;

const execFileP = promisify(execFile);
const BIN = path.resolve("bin/panecast.js");

export const MODES = ["hooks", "screen"] as const;
export type Mode = (typeof MODES)[number];

/** A status as a client received it, with the time it arrived. */
export interface Seen extends AgentStatus {
  at: number;
}

/** What one phase of a scenario found. */
export interface PhaseResult {
  phase: string;
  want: AgentState;
  /** The state clients held at the end of the phase. */
  got: AgentState | null;
  right: boolean;
  /** States clients were sent during the phase, in order. */
  states: AgentState[];
  /** The error reason clients held at the end of the phase, if any. */
  reason?: AgentStatus["reason"];
  /** From the true moment (fake server log, key pressed) to the first status event with `want`. */
  latencyMs: number | null;
  source: AgentStatus["source"] | null;
}

/**
 * One agent CLI in a real tmux pane, in a scratch HOME and git repo, against its fake model API,
 * watched by a real panecast through a real Socket.IO client; hooks installed or not.
 */
export class AgentRun {
  readonly tmux = new TestTmux();
  fake!: FakeModel;
  scratch!: Scratch;
  app!: PanecastApp;
  url!: string;
  watcher!: TestClient;
  pane!: string;
  readonly seen: Seen[] = [];
  readonly results: PhaseResult[] = [];
  private payloads = "";
  /** What the monitor saw and decided, when recording. */
  private trace: RunTrace | null = null;
  private payloadsRead = 0;
  private command: string[] = [];
  /** Where the current phase's statuses start, when its act typed a prompt first. */
  private mark: number | null = null;

  constructor(
    readonly cli: AgentCli,
    readonly mode: Mode,
    /** Where this run's screens and hook payloads are written (fixtures), or null. */
    readonly recordDir: string | null,
  ) {}

  async start(): Promise<void> {
    this.command = await ensureCli(this.cli.pkg);
    this.fake = await this.cli.startFake();
    this.scratch = makeScratch(this.cli.name);
    this.cli.setup(this.scratch, this.fake.url);
    const state = path.join(path.dirname(this.scratch.home), "panecast");
    mkdirSync(state, { recursive: true });
    // The session first: a panecast started on a socket with no server could race tmux's own start-up
    // (a server with no session exits, and a new-session that reached it fails).
    const env = Object.entries(this.scratch.env).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
    // The tmux server inherits this process's environment, so a CI's variables reach the pane unless
    // unset there: with CI set, Gemini CLI takes itself to be non-interactive and exits at once
    // ("No input provided via stdin").
    const unset = Object.keys(process.env).filter((k) => CI_VARIABLE.test(k)).flatMap((k) => ["-u", k]);
    this.pane = (await this.tmux.tmux("new-session", "-d", "-s", "agent", "-x", "120", "-y", "40", "-c", this.scratch.repo, "-P", "-F", "#{pane_id}", ...env, "env", ...unset, "PS1=$ ", "bash", "--norc", "--noprofile")).trim();
    // Claude Code asks for focus events when tmux does not pass them on, in a line under its prompt.
    await this.tmux.tmux("set-option", "-g", "focus-events", "on");
    ({ app: this.app, url: this.url } = await startPanecast(this.tmux, [], { PANECAST_DATA_DIR: state, PANECAST_TOKENS: path.join(state, "tokens.json") }));
    if (this.mode === "hooks") await this.installHooks(state);
    this.watcher = await client(this.url);
    this.watcher.pushes.on("agent:status", (s: AgentStatus) => {
      if (s.pane === this.pane) this.seen.push({ ...s, at: Date.now() });
    });
    // The pane's state when the client connected comes in the sessions snapshot, not as a push.
    const first = (await this.watcher.sessions).status[this.pane];
    if (first && this.seen.length === 0) this.seen.push({ ...first, at: Date.now() });
    if (this.recordDir) {
      this.trace = new RunTrace(this.app, this.pane);
      mkdirSync(this.recordDir, { recursive: true });
      const meta = { cli: this.cli.name, version: this.cli.pkg.version, packages: this.cli.pkg.packages, tmux: (await execFileP("tmux", ["-V"])).stdout.trim(), size: "120x40", recorded: new Date().toISOString().slice(0, 10) };
      writeFileSync(path.join(this.recordDir, "meta.json"), `${JSON.stringify(meta, null, 2)}\n`);
    }
  }

  /** `panecast hooks install <cli>` into the scratch HOME, and a second hook that keeps every payload. */
  private async installHooks(state: string): Promise<void> {
    const env = { ...process.env, ...this.scratch.env, PANECAST_DATA_DIR: state, PANECAST_TOKENS: path.join(state, "tokens.json"), PANECAST_AUDIT: path.join(state, "audit.jsonl") };
    await execFileP(process.execPath, [BIN, "hooks", "install", this.cli.name, "--url", this.url], { env });
    this.payloads = path.join(state, "payloads.jsonl");
    const keep = `sh -c 'cat >> ${this.payloads}; echo >> ${this.payloads}'`;
    const where = ({ claude: [".claude", "settings.json"], gemini: [".gemini", "settings.json"], codex: [".codex", "hooks.json"] } as const satisfies Partial<Record<CliName, readonly string[]>>)[this.cli.name as "claude" | "gemini" | "codex"];
    if (!where) throw new Error(`${this.cli.name}: panecast installs no hooks for it`);
    const file = path.join(this.scratch.home, ...where);
    const settings = JSON.parse(readFileSync(file, "utf8")) as { hooks: Record<string, { matcher?: string; hooks: unknown[] }[]> };
    for (const [event, groups] of Object.entries(settings.hooks)) {
      groups.push({ ...(groups[0]?.matcher !== undefined ? { matcher: groups[0].matcher } : {}), hooks: [{ type: "command", command: keep, ...(this.cli.name === "gemini" ? { name: "harness-recorder", timeout: 5000 } : { timeout: 5 }) }] });
      void event;
    }
    writeFileSync(file, JSON.stringify(settings, null, 2));
  }

  /** Starts the CLI from the pane's shell (so that leaving it returns to the shell). */
  async launch(): Promise<void> {
    const quoted = this.command.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
    await this.tmux.tmux("send-keys", "-t", this.pane, "-l", `clear; ${quoted}`);
    await this.tmux.tmux("send-keys", "-t", this.pane, "Enter");
  }

  /** Types through panecast, as a person at the dashboard does. */
  async send(req: { text?: string; enter?: boolean; keys?: SendKey[] }): Promise<number> {
    const at = Date.now();
    this.trace?.note({ send: req });
    const r = await this.watcher.emitWithAck("pane:send", { pane: this.pane, ...req });
    if (!("data" in r)) throw new Error(`pane:send refused: ${JSON.stringify(r)}`);
    return at;
  }

  /** A prompt: the text, then Enter on its own (CLIs read an Enter that comes with the text as a newline). */
  async prompt(text: string): Promise<number> {
    for (let i = 0; ; i++) {
      await this.answerDialogs();
      await this.send({ text });
      // Codex puts up its review of new hooks a moment after its prompt: the text typed then is lost
      // behind it. A person answers it and types again.
      const seen = await until(async () => {
        const screen = await this.screen(false);
        return screen.includes(text) ? "shown" : this.cli.dialogs.some((d) => d.screen.test(screen)) ? "dialog" : null;
      }, `the prompt "${text}" on screen`, 10_000);
      if (seen === "dialog" && i < 2) {
        await this.answerDialogs();
        if (!(await this.screen(false)).includes(text)) continue;
      }
      // What clients got while the text was typed belongs to typing, not to the turn it starts.
      this.mark = this.seen.length;
      // A person presses Enter once the CLI takes it (Gemini CLI ignores it while its hooks run).
      const busy = this.cli.busy;
      if (busy) await until(async () => !busy.test(await this.screen(false)), `${this.cli.name} to take input`, 20_000).catch(() => null);
      let at = await this.send({ keys: ["Enter"] });
      // A prompt for the model counts once its request came. Codex with new hooks clears its input box
      // once, as its session starts: the text and the Enter are gone, and a person types it again.
      if (!this.fake.scripted(text) || i === 2) return at;
      // Gone for a second (not one frame of a redraw) with no request: lost. Still there after 5 s
      // with no request: the Enter was read as a newline of a paste (Gemini CLI on a loaded machine),
      // and a person presses it again (an Enter in an empty box sends nothing).
      let goneSince: number | null = null;
      let enterAgain = Date.now() + 5000;
      const lost = await until(async () => {
        if (this.fake.log.some((e) => e.prompt === text)) return "sent";
        goneSince = (await this.screen(false)).includes(text) ? null : (goneSince ?? Date.now());
        if (goneSince === null && Date.now() > enterAgain) {
          at = await this.send({ keys: ["Enter"] });
          enterAgain = Date.now() + 5000;
        }
        return goneSince !== null && Date.now() - goneSince > 1000 ? "lost" : null;
      }, `the prompt "${text}" sent`, 20_000).catch(() => "sent");
      if (lost === "sent") return at;
    }
  }

  /** Answers the CLI's one-time dialogs (trusting new hooks) the way a person does, once each. */
  async answerDialogs(): Promise<void> {
    for (const d of this.cli.dialogs) {
      for (let i = 0; i < 3 && d.screen.test(await this.screen(false)); i++) {
        await this.send({ keys: d.keys });
        await until(async () => !d.screen.test(await this.screen(false)), "the dialog to close", 2000).catch(async () => this.send({ keys: ["Enter"] }));
      }
    }
  }

  async screen(colours = true): Promise<string> {
    return this.tmux.tmux("capture-pane", "-p", ...(colours ? ["-e"] : []), "-t", this.pane);
  }

  current(): AgentState | null {
    return this.seen.at(-1)?.state ?? null;
  }

  /**
   * Runs one phase: `act` does what a person or the model does and returns the true moment (or a
   * function that finds it in the fake server's log once the phase is over); then clients should hold
   * `want` for `holdMs`. The screens and the hook payloads of the phase are recorded.
   */
  async phase(name: string, want: AgentState, act: () => Promise<number | (() => number | null) | null>, opts: { holdMs?: number; timeoutMs?: number; never?: AgentState[]; /** `want` must be sent anew in this phase (the last phase ended in it too). */ fresh?: boolean; /** How long after the true moment a phase that misses `want` gives up (4 s). */ giveUpMs?: number; /** The error reason clients must hold too. */ reason?: AgentStatus["reason"]; /** `want` counts only once the true moment has come (a turn's end). */ afterMoment?: boolean } = {}): Promise<PhaseResult> {
    this.mark = null;
    const samples = this.sampleScreens();
    const before = this.seen.length;
    let moment: Awaited<ReturnType<typeof act>>;
    try {
      moment = await act();
    } catch (err) {
      await samples.stop();
      throw err;
    }
    const from = this.mark ?? before;
    const acted = Date.now();
    const trueMoment = () => (typeof moment === "function" ? moment() : moment) ?? null;
    let reached: Seen | null = null;
    // Until clients get `want`; a phase that misses it gives up 4 s after the true moment (well past
    // the 1 s screen target), or at the timeout while the moment has not come (a CLI still retrying).
    // A phase that ends a turn (`afterMoment`) counts `want` only from the true moment on: a CLI may
    // show its prompt for a moment mid-turn (Gemini CLI between a tool and the model's next answer).
    const counts = (s: Seen) => s.state === want && (!opts.afterMoment || s.at >= (trueMoment() ?? Infinity));
    await until(
      () => {
        if (opts.afterMoment && trueMoment() === null) return null;
        return (reached = this.seen.slice(from).find(counts) ?? null) ?? ((!opts.fresh && this.current() === want) || Date.now() > (trueMoment() ?? Infinity) + (opts.giveUpMs ?? 4000) ? true : null);
      },
      `${this.cli.name} ${this.mode} ${name}: ${want}`,
      opts.timeoutMs ?? 20_000,
    ).catch(() => null);
    await new Promise((r) => setTimeout(r, opts.holdMs ?? 1500));
    const screens = await samples.stop();
    const during = this.seen.slice(from);
    const trueAt = trueMoment();
    const got = this.current();
    const reason = this.seen.at(-1)?.reason;
    const hit = reached as Seen | null;
    const result: PhaseResult = {
      phase: name,
      want,
      got,
      right: got === want && !during.some((s) => opts.never?.includes(s.state)) && (!opts.fresh || hit !== null) && (opts.reason === undefined || reason === opts.reason),
      states: during.map((s) => s.state),
      ...(reason ? { reason } : {}),
      latencyMs: hit && trueAt !== null ? Math.max(0, hit.at - trueAt) : null,
      source: hit?.source ?? this.seen.at(-1)?.source ?? null,
    };
    this.results.push(result);
    // The screen when clients got the state (from a hook, independent of the screen rules), else 1 s
    // after the true moment (the screen target); and the last one of the phase.
    const at = hit?.at ?? (trueAt ?? acted) + 1000;
    const truth = screens.reduce((best, s) => (Math.abs(s.at - at) < Math.abs(best.at - at) ? s : best), screens[0]!);
    // The last screen only when clients still held the truth then: a phase that missed it may end on
    // a later state of the agent (its next turn already done).
    this.record(name, truth.text, result.right ? screens.at(-1)!.text : truth.text);
    return result;
  }

  /** Captures the screen every 250 ms until stopped (the phase's screens, to keep as fixtures). */
  private sampleScreens(): { stop(): Promise<{ at: number; text: string }[]> } {
    const out: { at: number; text: string }[] = [];
    let running = true;
    const loop = (async () => {
      // A pane gone (the run stopping) ends the sampling; the screens so far stay.
      const take = async () => out.push({ at: Date.now(), text: await this.screen().catch(() => out.at(-1)?.text ?? "") });
      while (running) {
        await take();
        await new Promise((r) => setTimeout(r, 250));
      }
      await take();
    })();
    return {
      stop: async () => {
        running = false;
        await loop;
        return out;
      },
    };
  }

  private record(name: string, atWant: string, atEnd: string): void {
    if (!this.recordDir) return;
    const dir = path.join(this.recordDir, this.mode);
    mkdirSync(dir, { recursive: true });
    const n = String(this.results.length).padStart(2, "0");
    writeFileSync(path.join(dir, `${n}-${name}.screen`), this.anonymous(atWant));
    if (atEnd !== atWant) writeFileSync(path.join(dir, `${n}-${name}.end.screen`), this.anonymous(atEnd));
    const payloads = this.newPayloads();
    if (payloads) writeFileSync(path.join(dir, `${n}-${name}.hooks.jsonl`), payloads);
    writeFileSync(path.join(dir, "results.json"), `${JSON.stringify(this.results.map(({ latencyMs: _l, ...r }) => r), null, 2)}\n`);
    this.trace?.write(path.join(dir, "trace.jsonl"));
    // What the CLI asked the model API for, and what each request was answered with.
    const t0 = this.fake.log[0]?.at ?? 0;
    writeFileSync(path.join(dir, "requests.json"), `${JSON.stringify(this.fake.log.map((e) => ({ ms: e.at - t0, path: e.path, answer: e.turn })))}\n`);
  }

  /** The scratch folder's random suffix masked, same length, so recorded screens keep their layout. */
  private anonymous(text: string): string {
    const root = path.basename(path.dirname(this.scratch.home));
    return text.replaceAll(root, root.replace(/-[^-]+$/, (m) => `-${"X".repeat(m.length - 1)}`));
  }

  /** Whether the CLI has run its hooks for `event` yet (hooks mode: the recorder kept its payload). */
  sawHook(event: string): boolean {
    return this.payloads !== "" && existsSync(this.payloads) && readFileSync(this.payloads, "utf8").includes(`"hook_event_name":"${event}"`);
  }

  /** Hook payloads that arrived since the last phase. */
  private newPayloads(): string {
    if (!this.payloads || !existsSync(this.payloads)) return "";
    const all = readFileSync(this.payloads, "utf8");
    const fresh = all.slice(this.payloadsRead);
    this.payloadsRead = all.length;
    return fresh
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => this.anonymous(l))
      .join("\n");
  }

  async stop(): Promise<void> {
    this.watcher?.close();
    await this.app?.close();
    await this.tmux.kill();
    await this.fake?.close();
    if (!this.scratch) return;
    const root = path.dirname(this.scratch.home);
    // Codex 0.171 starts an app-server daemon from a copy of itself under CODEX_HOME, which outlives
    // the pane: end the processes this run's CLI left, by pid.
    const left = processesUnder(root);
    const signal = (sig: NodeJS.Signals) => {
      for (const pid of left) {
        try {
          process.kill(pid, sig);
        } catch {}
      }
    };
    signal("SIGTERM");
    await until(() => processesUnder(root).length === 0, "the CLI's daemon to exit", 3000).catch(() => signal("SIGKILL"));
    await until(() => processesUnder(root).length === 0, "the CLI's daemon to be killed", 3000).catch(() => null);
    try {
      rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    } catch {
      // A CLI still flushing its files: the scratch folder stays in the cache, which is not the repo.
    }
  }
}

/**
 * Processes whose program lives under `dir` (the scratch HOME's copies of a CLI), or that name it in
 * their arguments (Cline's hub daemon runs from the install cache with `--cwd <scratch repo>`).
 */
function processesUnder(dir: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0");
      if (argv.some((a) => a.startsWith(`${dir}/`))) out.push(Number(name));
    } catch {}
  }
  return out;
}
