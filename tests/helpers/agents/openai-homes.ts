import path from "node:path";
import { ALLOWED_COMMAND, FAKE_KEY, writeJson, type Scratch } from "./home.ts";
import { cacheDir } from "./install.ts";

/**
 * Settings for the agent CLIs that reach the fake model through an OpenAI-compatible provider (the
 * Chat Completions API, tests/helpers/agents/fake-openai.ts), each read from the CLI's own code.
 */

/**
 * Qwen Code: the "openai" auth type with OPENAI_BASE_URL/OPENAI_API_KEY/OPENAI_MODEL; folder trust
 * off; approval mode "default" (0.24 starts in "auto", where a model classifier approves tools);
 * no background memory or skill agents (they call the model with tools after every turn), no
 * follow-up suggestions, one retry; the
 * built-in grep (the vendored ripgrep is not executable without the package's install script).
 */
export function qwenSetup(s: Scratch, baseUrl: string): void {
  writeJson(path.join(s.home, ".qwen", "settings.json"), {
    security: { auth: { selectedType: "openai" }, folderTrust: { enabled: false } },
    // One retry instead of ten (a 429 otherwise backs off for minutes).
    model: { name: "gpt-fake", generationConfig: { maxRetries: 1 } },
    tools: { approvalMode: "default", useRipgrep: false, allowed: [`run_shell_command(${ALLOWED_COMMAND})`] },
    memory: { enableManagedAutoMemory: false, enableManagedAutoDream: false, enableAutoSkill: false },
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false },
    general: { disableAutoUpdate: true, disableUpdateNag: true, enableAutoUpdate: false, checkForUpdates: false },
    // No follow-up suggestion: it asks the model after each turn and fills the input box with the answer.
    ui: { theme: "Default", enableFollowupSuggestions: false },
  });
  Object.assign(s.env, { OPENAI_BASE_URL: `${baseUrl}/v1`, OPENAI_API_KEY: FAKE_KEY, OPENAI_MODEL: "gpt-fake" });
}

/**
 * OpenCode: a custom provider on the fake server through the bundled `@ai-sdk/openai-compatible`, as
 * the default and the small (title) model; bash asks except the allowed command. No models.dev
 * fetch, update, share, LSP download, default plugins or Claude Code files (each would reach out).
 */
export function opencodeSetup(s: Scratch, baseUrl: string): void {
  writeJson(path.join(s.home, ".config", "opencode", "opencode.json"), {
    $schema: "https://opencode.ai/config.json",
    provider: { fake: { npm: "@ai-sdk/openai-compatible", name: "Fake", options: { baseURL: `${baseUrl}/v1`, apiKey: FAKE_KEY }, models: { "gpt-fake": { name: "GPT fake", tool_call: true } } } },
    model: "fake/gpt-fake",
    small_model: "fake/gpt-fake",
    autoupdate: false,
    share: "disabled",
    permission: { bash: { "*": "ask", [ALLOWED_COMMAND]: "allow" } },
  });
  Object.assign(s.env, {
    OPENCODE_DISABLE_AUTOUPDATE: "1",
    OPENCODE_DISABLE_MODELS_FETCH: "1",
    OPENCODE_DISABLE_SHARE: "1",
    OPENCODE_DISABLE_LSP_DOWNLOAD: "1",
    OPENCODE_DISABLE_DEFAULT_PLUGINS: "1",
    OPENCODE_DISABLE_CLAUDE_CODE: "1",
  });
}

/**
 * Copilot CLI without a GitHub sign-in: its own BYOK provider settings (COPILOT_PROVIDER_*, the
 * Chat Completions wire) and COPILOT_OFFLINE; the repo in `trustedFolders` (else it asks first). Its
 * single binary unpacks itself into COPILOT_PKG_CACHE_HOME (235 MB): once, in the install cache.
 */
export function copilotSetup(s: Scratch, baseUrl: string): void {
  writeJson(path.join(s.home, ".copilot", "config.json"), { trustedFolders: [s.repo], appTipShown: true });
  Object.assign(s.env, {
    COPILOT_PROVIDER_BASE_URL: `${baseUrl}/v1`,
    COPILOT_PROVIDER_TYPE: "openai",
    COPILOT_PROVIDER_API_KEY: FAKE_KEY,
    COPILOT_PROVIDER_WIRE_API: "completions",
    COPILOT_MODEL: "gpt-fake",
    // A model outside its catalogue gets a warning on screen unless its limits are given.
    COPILOT_PROVIDER_MAX_PROMPT_TOKENS: "128000",
    COPILOT_PROVIDER_MAX_OUTPUT_TOKENS: "4096",
    COPILOT_OFFLINE: "1",
    COPILOT_AUTO_UPDATE: "false",
    COPILOT_PKG_CACHE_HOME: path.join(cacheDir(), "copilot-pkg"),
  });
}

/**
 * Cline CLI: the "openai-compatible" provider as `cline auth -p openai -k … -m … -b …` writes it, and
 * its one-time notices (ClinePass, then Cline Desktop) marked shown: either covers the first screen
 * until a key is pressed.
 */
export function clineSetup(s: Scratch, baseUrl: string): void {
  const settings = path.join(s.home, ".cline", "data", "settings");
  writeJson(path.join(settings, "providers.json"), {
    version: 1,
    lastUsedProvider: "openai-compatible",
    modes: {},
    providers: { "openai-compatible": { settings: { provider: "openai-compatible", apiKey: FAKE_KEY, model: "gpt-fake", baseUrl: `${baseUrl}/v1` }, updatedAt: new Date().toISOString(), tokenSource: "manual" } },
  });
  writeJson(path.join(settings, "cli-notices.json"), { shown: { "cline-cli-cline-pass-intro": true, "cline-cli-desktop-launch": true } });
}
