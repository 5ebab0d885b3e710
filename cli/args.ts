import { parseArgs } from "node:util";
import { FLAGS, OTHER_FLAGS_WITH_VALUE, SWITCHES } from "../lib/config.ts";

/**
 * The one command-line parser (node:util parseArgs, strict): every command declares its options and
 * usage in a CommandSpec; unknown options, missing values and stray arguments are a UsageError (exit 2,
 * one line and the command's usage); --help / -h prints the usage.
 */
export type OptionSpec = { type: "string" | "boolean"; short?: string; multiple?: boolean };
export type Options = Record<string, OptionSpec>;

export interface CommandSpec {
  name: string;
  usage: string;
  options: Options;
  /** How many positional arguments the command takes (default none). */
  positionals?: { min: number; max: number };
}

export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

export class HelpRequested extends Error {
  constructor(readonly usage: string) {
    super("help");
    this.name = "HelpRequested";
  }
}

export type Values = Record<string, string | boolean | string[] | undefined>;

/** The settings flags (lib/config.ts): start, demo, status, token and doctor take them. */
export const CONFIG_OPTIONS: Options = (() => {
  const out: Options = {};
  for (const flag of [...Object.keys(FLAGS), ...OTHER_FLAGS_WITH_VALUE]) {
    if (flag.startsWith("--")) out[flag.slice(2)] = { type: "string" };
  }
  for (const flag of Object.keys(SWITCHES)) out[flag.slice(2)] = { type: "boolean" };
  // -L / -S as in tmux itself.
  out["socket-name"] = { type: "string", short: "L" };
  out["socket-path"] = { type: "string", short: "S" };
  return out;
})();

/** The client flags: watch and send talk to a running server. */
export const CLIENT_OPTIONS: Options = { url: { type: "string" }, token: { type: "string" } };

export function parseCommand(spec: CommandSpec, argv: readonly string[]): { values: Values; positionals: string[] } {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...spec.options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    }) as { values: Values; positionals: string[] };
  } catch (err) {
    throw new UsageError(oneLine(err as Error & { code?: string }), spec.usage);
  }
  if (parsed.values.help) throw new HelpRequested(spec.usage);
  const { min, max } = spec.positionals ?? { min: 0, max: 0 };
  if (parsed.positionals.length > max) throw new UsageError(`unexpected argument '${parsed.positionals[max]}'`, spec.usage);
  if (parsed.positionals.length < min) throw new UsageError(`missing argument${min - parsed.positionals.length > 1 ? "s" : ""}`, spec.usage);
  return parsed;
}

/** The settings flags among parsed values, back as argv for loadConfig. */
export function configArgv(values: Values): string[] {
  const out: string[] = [];
  for (const [name, spec] of Object.entries(CONFIG_OPTIONS)) {
    const v = values[name];
    if (v === undefined) continue;
    if (spec.type === "boolean") {
      if (v === true) out.push(`--${name}`);
    } else out.push(`--${name}`, String(v));
  }
  return out;
}

export function str(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}

export function list(v: string | undefined): string[] | undefined {
  const items = v?.split(",").map((s) => s.trim()).filter(Boolean);
  return items && items.length > 0 ? items : undefined;
}

function oneLine(err: Error & { code?: string }): string {
  const m = /^Option '(?:-\w, )?(--?[\w-]+)[^']*' argument (?:missing|is ambiguous)/.exec(err.message);
  if (m) return `option ${m[1]} needs a value`;
  const u = /^Unknown option '([^']+)'/.exec(err.message);
  if (u) return `unknown option ${u[1]}`;
  const b = /^Option '(?:-\w, )?(--?[\w-]+)[^']*' does not take an argument/.exec(err.message);
  if (b) return `option ${b[1]} takes no value`;
  return err.message.split("\n")[0]!;
}
