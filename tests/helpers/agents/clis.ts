import path from "node:path";
import type { SendKey } from "../../../lib/protocol.ts";
import { startFakeAnthropic } from "./fake-anthropic.ts";
import type { FakeModel } from "./fake-model.ts";
import { startFakeGemini } from "./fake-gemini.ts";
import { startFakeOpenAI } from "./fake-openai.ts";
import { startFakeResponses } from "./fake-responses.ts";
import { ALLOWED_COMMAND, claudeSetup, codexSetup, geminiSetup, type Scratch } from "./home.ts";
import type { CliPackage } from "./install.ts";
import { clineSetup, copilotSetup, opencodeSetup, qwenSetup } from "./openai-homes.ts";

export const CLI_NAMES = ["claude", "codex", "gemini", "qwen", "opencode", "copilot", "cline"] as const;
export type CliName = (typeof CLI_NAMES)[number];

/** One agent CLI under test: its package, its fake model API, its settings and its keys. */
export interface AgentCli {
  name: CliName;
  pkg: CliPackage;
  startFake(): Promise<FakeModel>;
  setup(s: Scratch, baseUrl: string): void;
  /** Keys that approve the permission prompt once. */
  approve: SendKey[];
  /** Typed (then Enter) to leave the CLI for the shell. */
  exitCommand: string;
  /** On screen once the CLI is ready for a prompt. */
  ready: RegExp;
  /** On screen while the CLI asks for a permission. */
  asking: RegExp;
  /** One-time dialogs a person answers once (Codex's review of new hooks), and the keys that do. */
  dialogs: { screen: RegExp; keys: SendKey[] }[];
  /** On screen while a turn runs, where an Esc may go unheard (pressed again then). */
  working?: RegExp;
  /** On screen while the CLI ignores Enter (its hooks running). */
  busy?: RegExp;
  /** How long its first screen may take (60 s unless said). */
  startMs?: number;
  /** On screen after one Esc when the CLI wants a second one to stop a turn. */
  interruptAgain?: RegExp;
  /** The modes it runs in (both unless said): a CLI whose hooks panecast does not install runs screen-only. */
  modes?: readonly ("hooks" | "screen")[];
}

export const CLIS: Record<CliName, AgentCli> = {
  claude: {
    name: "claude",
    pkg: {
      name: "claude",
      version: "2.1.197",
      // The wrapper's bin is a placeholder until its install script copies the native binary in;
      // the native binary itself is the platform package, run directly.
      packages: ["@anthropic-ai/claude-code@2.1.197", "@anthropic-ai/claude-code-linux-x64@2.1.197"],
      command: (dir) => [path.join(dir, "node_modules/@anthropic-ai/claude-code-linux-x64/claude")],
    },
    startFake: startFakeAnthropic,
    setup: claudeSetup,
    approve: ["Enter"],
    exitCommand: "/exit",
    ready: /\? for shortcuts/,
    asking: /Do you want to proceed\?/,
    dialogs: [],
  },
  codex: {
    name: "codex",
    pkg: {
      name: "codex",
      version: "0.171.0",
      packages: ["@openai/codex@0.171.0", "@openai/codex-linux-x64@npm:@openai/codex@0.171.0-linux-x64"],
      command: (dir) => [path.join(dir, "node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex")],
    },
    startFake: startFakeResponses,
    setup: codexSetup,
    approve: ["y"],
    exitCommand: "/quit",
    ready: /\? for shortcuts/,
    asking: /Would you like to run|Press enter to confirm/,
    // Codex asks once to trust hooks it has not seen ("Hooks need review"): hooks mode trusts them.
    dialogs: [{ screen: /Hooks need review/, keys: ["2"] }],
  },
  gemini: {
    name: "gemini",
    pkg: {
      name: "gemini",
      version: "0.61.0",
      packages: ["@google/gemini-cli@0.61.0"],
      command: (dir) => [process.execPath, path.join(dir, "node_modules/@google/gemini-cli/bundle/gemini.js")],
    },
    startFake: startFakeGemini,
    setup: geminiSetup,
    approve: ["Enter"],
    exitCommand: "/quit",
    ready: /Type your message/,
    asking: /Allow execution of/,
    busy: /Executing Hooks/,
    working: /esc to cancel/,
    dialogs: [],
  },
  qwen: {
    name: "qwen",
    pkg: {
      name: "qwen",
      version: "0.24.4",
      packages: ["@qwen-code/qwen-code@0.24.4"],
      command: (dir) => [process.execPath, path.join(dir, "node_modules/@qwen-code/qwen-code/cli-entry.js")],
    },
    startFake: startFakeOpenAI,
    setup: qwenSetup,
    approve: ["Enter"],
    exitCommand: "/quit",
    // The box is drawn while Qwen Code still initialises (a prompt typed then is queued).
    ready: /^(?![\s\S]*(Initializing|esc to cancel))[\s\S]*Type your message/,
    asking: /Allow execution of/,
    dialogs: [],
    modes: ["screen"],
  },
  opencode: {
    name: "opencode",
    pkg: {
      name: "opencode",
      version: "1.18.33",
      // The wrapper's bin is a placeholder its install script replaces; the platform package holds the binary.
      packages: ["opencode-ai@1.18.33", "opencode-linux-x64@1.18.33"],
      command: (dir) => [path.join(dir, "node_modules/opencode-linux-x64/bin/opencode")],
    },
    startFake: startFakeOpenAI,
    setup: opencodeSetup,
    approve: ["Enter"],
    exitCommand: "/exit",
    ready: /^(?![\s\S]*esc interrupt)[\s\S]*ctrl\+p commands/,
    asking: /Permission required/,
    dialogs: [],
    interruptAgain: /esc again to interrupt/,
    // It sets up its database and a snapshot repository first: 15 s on a quiet machine, over 60 s on
    // a loaded one.
    startMs: 180_000,
    modes: ["screen"],
  },
  copilot: {
    name: "copilot",
    pkg: {
      name: "copilot",
      version: "1.0.102",
      // The wrapper's loader starts the platform package's binary; started directly here.
      packages: ["@github/copilot@1.0.102", "@github/copilot-linux-x64@1.0.102"],
      command: (dir) => [path.join(dir, "node_modules/@github/copilot-linux-x64/copilot"), "--allow-tool", `shell(${ALLOWED_COMMAND})`],
    },
    startFake: startFakeOpenAI,
    setup: copilotSetup,
    approve: ["Enter"],
    exitCommand: "/exit",
    ready: /^(?![\s\S]*Working)[\s\S]*\/ commands · \? help/,
    asking: /Do you want to run this command\?/,
    dialogs: [],
    // "esc esc interrupt": after one Esc it says "esc again to interrupt" ("… to edit prompt" before
    // its first token is drawn); the second Esc stops the turn either way.
    interruptAgain: /esc again to (interrupt|edit prompt)/,
    modes: ["screen"],
  },
  cline: {
    name: "cline",
    pkg: {
      name: "cline",
      version: "3.0.65",
      // The wrapper (node) finds the platform package's binary, which runs Bun inside.
      packages: ["cline@3.0.65", "@cline/cli-linux-x64@3.0.65"],
      command: (dir) => [path.join(dir, "node_modules/@cline/cli-linux-x64/bin/cline"), "-i", "--auto-approve", "false"],
    },
    startFake: startFakeOpenAI,
    setup: clineSetup,
    approve: ["y"],
    exitCommand: "/exit",
    ready: /^(?![\s\S]*esc to cancel)[\s\S]*Auto-approve all disabled/,
    asking: /Approve tool call\?/,
    dialogs: [],
    modes: ["screen"],
  },
};
