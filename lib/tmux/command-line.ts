import { TmuxCommandError } from "./errors.ts";

/** How reads reach tmux: a persistent control client's command channel, or a process per command. */
export const COMMAND_CHANNELS = ["control", "exec"] as const;
export type CommandChannelKind = (typeof COMMAND_CHANNELS)[number];

/**
 * Turns an argument array into one line for a control client's command channel. There is no shell,
 * but tmux parses the line with its own command parser, where `;`, `#{`, `{`, `~`, `$`, quotes and
 * `\` mean something. Every argument is therefore single-quoted (inside single quotes tmux expands
 * nothing; an embedded `'` is written `'\''`), and only an argument that is exactly `;` stays bare, as
 * the separator between chained commands, as it is for exec.
 *
 * A newline would end the line (and an empty line detaches the client), so arguments with CR, LF or
 * NUL cannot travel this way: `canCarry` says so and the caller uses exec for them. So do arguments
 * ending in `;`, which exec splits as a separator (`\;` escapes it): exec keeps them bit for bit.
 */
export function toCommandLine(args: readonly string[]): string {
  if (!canCarry(args)) throw new TmuxCommandError("argument with a newline or NUL cannot go over the control channel", null);
  return args.map((a) => (a === ";" ? ";" : `'${a.replaceAll("'", "'\\''")}'`)).join(" ");
}

export function canCarry(args: readonly string[]): boolean {
  return args.length > 0 && args[0] !== ";" && args.every((a) => a === ";" || !/[\r\n\0]|;$/.test(a));
}

/** How many commands a chained argument array runs: tmux answers each with its own block. */
export function commandCount(args: readonly string[]): number {
  let n = 1;
  for (const a of args) if (a === ";") n++;
  return n;
}
