import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

/** A scratch HOME and a scratch git repository (the agent's working directory) for one CLI run. */
export interface Scratch {
  home: string;
  repo: string;
  /** The environment the CLI runs with: scratch HOME, no proxy of the machine, nothing to phone home. */
  env: Record<string, string>;
}

/** The fake key each CLI is given; Claude Code remembers approved keys by their last 20 characters. */
export const FAKE_KEY = "sk-ant-fake-panecast-harness-0123456789abcdefghij";

/** The command a scenario approves, and the one the CLI's own settings allow without asking. */
export const ASKED_COMMAND = "touch approved.txt";
export const ALLOWED_COMMAND = "ls";

export function makeScratch(cli: string): Scratch {
  // Not under /tmp: Codex refuses to put its helper binaries there and says so on screen.
  const base = path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), ".cache"), "panecast", "agent-runs");
  mkdirSync(base, { recursive: true });
  const root = realpathSync(mkdtempSync(path.join(base, `${cli}-`)));
  const home = path.join(root, "home");
  const repo = path.join(root, "repo");
  mkdirSync(home, { recursive: true });
  mkdirSync(repo, { recursive: true });
  const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "ignore", env: { ...process.env, HOME: home } });
  git("init", "-q", "-b", "main");
  writeFileSync(path.join(repo, "README.md"), "# scratch\n");
  git("-c", "user.name=harness", "-c", "user.email=harness@localhost", "add", "README.md");
  git("-c", "user.name=harness", "-c", "user.email=harness@localhost", "commit", "-q", "-m", "start");
  const env: Record<string, string> = {
    HOME: home,
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    TERM: "xterm-256color",
    LANG: "C.UTF-8",
    SHELL: "/bin/bash",
    USER: process.env.USER ?? "root",
    XDG_CONFIG_HOME: path.join(home, ".config"),
    XDG_CACHE_HOME: path.join(home, ".cache"),
    XDG_DATA_HOME: path.join(home, ".local", "share"),
    XDG_STATE_HOME: path.join(home, ".local", "state"),
    // Anything that tries the internet meets a closed port at once instead of hanging on a timeout;
    // the fake model server on 127.0.0.1 is reached directly.
    HTTP_PROXY: "http://127.0.0.1:9",
    HTTPS_PROXY: "http://127.0.0.1:9",
    http_proxy: "http://127.0.0.1:9",
    https_proxy: "http://127.0.0.1:9",
    NO_PROXY: "127.0.0.1,localhost",
    no_proxy: "127.0.0.1,localhost",
    NO_COLOR: "",
    CI: "",
  };
  delete env.NO_COLOR;
  delete env.CI;
  return { home, repo, env };
}

export function writeJson(file: string, data: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
}

/** Claude Code: onboarding done, a theme, the repo trusted, the key approved; no updates or telemetry. */
export function claudeSetup(s: Scratch, baseUrl: string): void {
  writeJson(path.join(s.home, ".claude.json"), {
    numStartups: 3,
    hasCompletedOnboarding: true,
    lastOnboardingVersion: "2.1.197",
    theme: "dark",
    autoUpdates: false,
    hasSeenTasksHint: true,
    tipsHistory: {},
    customApiKeyResponses: { approved: [FAKE_KEY.slice(-20)], rejected: [] },
    projects: { [s.repo]: { hasTrustDialogAccepted: true, hasCompletedProjectOnboarding: true, allowedTools: [], projectOnboardingSeenCount: 1 } },
  });
  writeJson(path.join(s.home, ".claude", "settings.json"), {
    permissions: { allow: [`Bash(${ALLOWED_COMMAND})`] },
    autoUpdates: false,
  });
  Object.assign(s.env, {
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_KEY: FAKE_KEY,
    DISABLE_AUTOUPDATER: "1",
    DISABLE_TELEMETRY: "1",
    DISABLE_ERROR_REPORTING: "1",
    DISABLE_BUG_COMMAND: "1",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    // One retry of a failed request instead of ten, so an error scenario ends in seconds.
    CLAUDE_CODE_MAX_RETRIES: "1",
  });
}

/** Codex: a custom Responses provider on the fake server, the repo trusted, commands asked for. */
export function codexSetup(s: Scratch, baseUrl: string): void {
  const dir = path.join(s.home, ".codex");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "config.toml"),
    [
      `model = "gpt-fake"`,
      `model_provider = "fake"`,
      // "on-request": a command runs in the sandbox without asking unless the model asks to leave it.
      `approval_policy = "on-request"`,
      `sandbox_mode = "workspace-write"`,
      `check_for_update_on_startup = false`,
      `hide_agent_reasoning = true`,
      "",
      "[model_providers.fake]",
      `name = "fake"`,
      `base_url = "${baseUrl}/v1"`,
      `wire_api = "responses"`,
      `env_key = "FAKE_OPENAI_API_KEY"`,
      "request_max_retries = 0",
      "stream_max_retries = 0",
      "",
      "[analytics]",
      "enabled = false",
      "",
      `[projects."${s.repo}"]`,
      `trust_level = "trusted"`,
      "",
    ].join("\n"),
  );
  Object.assign(s.env, { CODEX_HOME: dir, FAKE_OPENAI_API_KEY: FAKE_KEY });
}

/** Gemini CLI: API-key auth against the fake server, folder trusted, no telemetry or update checks. */
export function geminiSetup(s: Scratch, baseUrl: string): void {
  writeJson(path.join(s.home, ".gemini", "settings.json"), {
    security: { auth: { selectedType: "gemini-api-key" }, folderTrust: { enabled: false } },
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false },
    // One retry (after Gemini CLI's own 5 s back-off) instead of ten, so an error scenario ends in seconds.
    general: { disableAutoUpdate: true, disableUpdateNag: true, maxAttempts: 2 },
    ui: { theme: "Default" },
  });
  // The policy engine (tools.allowed is deprecated): the allowed command runs without asking.
  mkdirSync(path.join(s.home, ".gemini", "policies"), { recursive: true });
  writeFileSync(path.join(s.home, ".gemini", "policies", "harness.toml"), `[[rule]]\ntoolName = "run_shell_command"\ncommandPrefix = "${ALLOWED_COMMAND}"\ndecision = "allow"\npriority = 100\n`);
  Object.assign(s.env, { GEMINI_API_KEY: FAKE_KEY, GOOGLE_GEMINI_BASE_URL: baseUrl, GEMINI_CLI_TRUST_WORKSPACE: "true" });
}
