#!/usr/bin/env node
// A scripted fake agent for `npm run demo`: prints coloured, Claude-Code-like output at varied rates,
// turns busy and idle, sometimes asks a question and waits for typed input, sometimes fails.
import { createInterface } from "node:readline";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";

const name = process.argv[2] ?? "agent";
let seed = [...name].reduce((a, c) => a * 31 + c.charCodeAt(0), 7) >>> 0;
const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const logFile = process.env.PANECAST_DEMO_LOG;

const c = {
  reset: "\x1b[0m", bold: "\x1b[1m", dim: "\x1b[2m", red: "\x1b[31m", green: "\x1b[32m",
  yellow: "\x1b[33m", blue: "\x1b[34m", magenta: "\x1b[35m", cyan: "\x1b[36m", gray: "\x1b[90m",
  orange: "\x1b[38;5;208m", accent: "\x1b[38;2;215;119;87m",
};
const out = (s = "") => process.stdout.write(s + "\n");

const lines = [];
const rl = createInterface({ input: process.stdin });
rl.on("line", (l) => lines.push(l));
async function readAnswer() {
  while (lines.length === 0) await sleep(100);
  return lines.shift();
}

const FILES = ["lib/parser.ts", "lib/queue.ts", "src/api/routes.ts", "tests/parser.test.ts", "README.md", "lib/cache.ts"];
const TASKS = ["refactor the parser", "add retries to the queue", "fix the flaky test", "document the API", "speed up the cache"];
const VERBS = ["Pondering", "Thinking", "Crafting", "Brewing", "Cogitating", "Reticulating"];

function banner() {
  out(`${c.accent}╭──────────────────────────────────────────╮${c.reset}`);
  out(`${c.accent}│${c.reset} ${c.accent}✻${c.reset} Welcome to ${c.bold}Claude Code${c.reset} ${c.gray}(demo: ${name})${c.reset}`.padEnd(60) );
  out(`${c.accent}╰──────────────────────────────────────────╯${c.reset}`);
  out();
}

async function spinner(seconds) {
  const verb = pick(VERBS);
  const frames = ["·", "✢", "✳", "✶", "✻", "✽"];
  const start = Date.now();
  let i = 0;
  while (Date.now() - start < seconds * 1000) {
    const t = Math.round((Date.now() - start) / 1000);
    process.stdout.write(`\r${c.accent}${frames[i++ % frames.length]} ${verb}…${c.reset} ${c.gray}(${t}s · ↑ ${(1 + rand() * 9).toFixed(1)}k tokens · esc to interrupt)${c.reset}\x1b[K`);
    await sleep(120 + rand() * 200);
  }
  process.stdout.write("\r\x1b[K");
}

async function work() {
  const task = pick(TASKS);
  out(`${c.gray}>${c.reset} ${task}`);
  out();
  const steps = 2 + Math.floor(rand() * 4);
  for (let s = 0; s < steps; s++) {
    await spinner(1 + rand() * 3);
    const file = pick(FILES);
    if (rand() < 0.5) {
      out(`${c.green}●${c.reset} ${c.bold}Read${c.reset}(${file})`);
      out(`  ${c.gray}⎿  Read ${20 + Math.floor(rand() * 300)} lines${c.reset}`);
    } else {
      const n = 1 + Math.floor(rand() * 9);
      out(`${c.green}●${c.reset} ${c.bold}Update${c.reset}(${file})`);
      out(`  ${c.gray}⎿  Updated ${file} with ${n} additions and ${Math.floor(n / 2)} removals${c.reset}`);
      out(`     ${c.red}- const retries = 1;${c.reset}`);
      out(`     ${c.green}+ const retries = ${n + 1};${c.reset}`);
    }
    if (rand() < 0.3) {
      out(`${c.green}●${c.reset} ${c.bold}Bash${c.reset}(npm test)`);
      for (let k = 0; k < 3 + Math.floor(rand() * 6); k++) {
        out(`  ${c.gray}⎿${c.reset}  ${c.green}✓${c.reset} test ${k + 1} ${c.gray}(${Math.floor(rand() * 40)} ms)${c.reset}`);
        await sleep(60 + rand() * 150);
      }
    }
  }
  const roll = rand();
  if (roll < 0.18) {
    out(`${c.red}✗ Error: ENOENT: no such file or directory, open 'config/${name}.json'${c.reset}`);
    out(`${c.red}  at Object.openSync (node:fs:573:18)${c.reset}`);
    // A failed agent sits on its error for a while before it prompts again.
    await sleep(3000 + rand() * 4000);
  } else if (roll < 0.4) {
    out();
    out(`${c.yellow}╭─ Permission ─────────────────────────────╮${c.reset}`);
    out(`${c.yellow}│${c.reset} Do you want to proceed with ${c.bold}${pick(FILES)}${c.reset}?`);
    out(`${c.yellow}│${c.reset} ${c.cyan}❯ 1. Yes${c.reset}`);
    out(`${c.yellow}│${c.reset}   2. No, and tell Claude what to do differently`);
    out(`${c.yellow}╰──────────────────────────────────────────╯${c.reset}`);
    const answer = (await readAnswer()).trim();
    if (logFile) appendFileSync(logFile, `${new Date().toISOString()} ${name} answered ${JSON.stringify(answer)}\n`);
    out(`${c.green}●${c.reset} User answered: ${answer === "" ? "1" : answer}`);
  } else {
    out(`${c.green}●${c.reset} Done: ${task}.`);
  }
  report(task);
  out();
}

// karo keeps the dashboard; shogun queues commands in the history. Both files are live pages.
function report(task) {
  const stamp = new Date().toISOString().replace("T", " ").slice(0, 19);
  const dashboard = process.env.PANECAST_DEMO_DASHBOARD;
  if (dashboard && name === "karo") {
    try {
      let md = readFileSync(dashboard, "utf8").replace(/^Updated .* by \*\*karo\*\*\.$/m, `Updated ${stamp} by **karo**.`);
      if (!md.includes("\n## Log\n")) md += "\n## Log\n\n";
      const [head, log] = md.split("\n## Log\n");
      const lines = log.split("\n").filter((l) => l.startsWith("- ")).slice(-7);
      lines.push(`- ${stamp} karo finished: ${task}`);
      writeFileSync(dashboard, `${head}\n## Log\n\n${lines.join("\n")}\n`);
    } catch {}
  }
  const history = process.env.PANECAST_DEMO_HISTORY;
  if (history && name === "shogun") {
    try {
      const n = (readFileSync(history, "utf8").match(/- id:/g) ?? []).length + 1;
      appendFileSync(history, `  - id: cmd_${String(n).padStart(3, "0")}\n    timestamp: "${new Date().toISOString().slice(0, 19)}"\n    command: ${JSON.stringify(task)}\n    status: pending\n    assigned_to: ${pick(["ashigaru1", "ashigaru2", "ashigaru3"])}\n`);
    } catch {}
  }
}

async function idle() {
  out(`${c.gray}──────────────────────────────────────────${c.reset}`);
  process.stdout.write(`${c.bold}❯${c.reset} `);
  await sleep(2000 + rand() * 6000);
  process.stdout.write("\r\x1b[K");
}

// A fixed script instead of the random loop, for tests: --script work:MS,ask,error:MS,idle
async function runScript(steps) {
  for (const step of steps) {
    const [kind, arg] = step.split(":");
    const ms = Number(arg ?? 500);
    if (kind === "work") {
      out(`${c.gray}>${c.reset} scripted task`);
      await spinner(ms / 1000);
      out(`${c.green}●${c.reset} ${c.bold}Read${c.reset}(lib/parser.ts)`);
    } else if (kind === "ask") {
      out(`${c.yellow}│${c.reset} Do you want to proceed with ${c.bold}lib/parser.ts${c.reset}?`);
      out(`${c.yellow}│${c.reset} ${c.cyan}❯ 1. Yes${c.reset}`);
      out(`${c.yellow}│${c.reset}   2. No, and tell Claude what to do differently`);
      const answer = (await readAnswer()).trim();
      out(`${c.green}●${c.reset} User answered: ${answer || "1"}`);
    } else if (kind === "error") {
      out(`${c.red}✗ Error: ENOENT: no such file or directory, open 'config/${name}.json'${c.reset}`);
      await sleep(ms);
    } else if (kind === "idle") {
      // A turn that ends in an answer: an error just above the prompt would still be the state.
      out(`${c.green}●${c.reset} Done: scripted task.`);
      out(`${c.gray}──────────────────────────────────────────${c.reset}`);
      process.stdout.write(`${c.bold}❯${c.reset} `);
      await new Promise(() => {});
    }
  }
}

// panecast knows the agent type from the foreground process's argv: this fake calls itself what it
// imitates. Claude Code also names its terminal like this.
process.title = "claude";
process.stdout.write(`\x1b]2;✳ Claude Code (${name})\x07`);
banner();
const scriptAt = process.argv.indexOf("--script");
if (scriptAt !== -1) {
  await runScript((process.argv[scriptAt + 1] ?? "idle").split(","));
} else {
  for (;;) {
    await work();
    await idle();
  }
}
