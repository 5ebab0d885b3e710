// `panecast hook <agent> --state DIR`: what an agent CLI runs on each of its hook events. Plain
// JavaScript on purpose: it starts without the TypeScript loader (and posts with node:http, not
// fetch), so it costs little more than node's own start-up (npm run bench:hook). It must never slow or break the agent: it gives up after 2 s, always exits 0,
// prints nothing on stdout (Gemini CLI would read it as the hook's answer) and logs failures to
// DIR/hook.log (bounded).
import { appendFileSync, readFileSync, renameSync, statSync } from "node:fs";
import http from "node:http";
import path from "node:path";

const MAX_STDIN = 1024 * 1024;
const MAX_LOG = 256 * 1024;
const GIVE_UP_MS = 2000;

/** @param {string[]} argv */
export async function hook(argv) {
  const started = Date.now();
  const agent = argv[0] ?? "";
  const at = argv.indexOf("--state");
  const stateDir = at === -1 ? null : argv[at + 1] ?? null;
  // Whatever happens below, the agent gets its exit 0 in time.
  setTimeout(() => {
    log(`gave up after ${GIVE_UP_MS} ms`);
    process.exit(0);
  }, GIVE_UP_MS).unref();
  function log(/** @type {string} */ msg) {
    if (!stateDir) return;
    try {
      const file = path.join(stateDir, "hook.log");
      try {
        if (statSync(file).size > MAX_LOG) renameSync(file, `${file}.1`);
      } catch {}
      appendFileSync(file, `${new Date().toISOString()} ${agent} ${msg}\n`, { mode: 0o600 });
    } catch {}
  }
  try {
    const paneId = process.env.TMUX_PANE;
    const tmux = process.env.TMUX;
    // Not in tmux: nothing panecast could show.
    if (!paneId || !tmux) return;
    if (!["claude", "codex", "gemini"].includes(agent)) return log(`unknown agent ${JSON.stringify(agent).slice(0, 40)}`);
    if (!stateDir) return log("no --state DIR");
    // Codex's notify program gets its notification as the last argument; its hooks engine, Claude
    // Code and Gemini CLI pass the event on stdin.
    const last = argv[argv.length - 1] ?? "";
    const raw = agent === "codex" && last.startsWith("{") ? last.slice(0, MAX_STDIN) : await readStdin(GIVE_UP_MS / 2);
    const event = parseEvent(raw);
    if (!event.event) return log("no event name in the payload");
    let creds;
    try {
      creds = JSON.parse(readFileSync(path.join(stateDir, "agent-hook.json"), "utf8"));
    } catch {
      return log("cannot read agent-hook.json (run: panecast hooks install <agent>)");
    }
    const body = JSON.stringify({
      agent,
      pane: paneId,
      socket: tmux.split(",")[0],
      event: event.event,
      ...(event.notificationType ? { notificationType: event.notificationType } : {}),
      ...(event.sessionId ? { sessionId: event.sessionId } : {}),
      ...(event.detail ? { detail: event.detail } : {}),
      ...(event.error ? { error: event.error } : {}),
      ...(event.internal ? { internal: true } : {}),
    });
    const headers = { "content-type": "application/json", ...(creds.token ? { authorization: `Bearer ${creds.token}` } : {}) };
    const answer = await postJson(`${creds.url}/api/agent-signals`, headers, body, Math.max(100, GIVE_UP_MS - (Date.now() - started) - 150));
    if (answer.status < 200 || answer.status > 299) log(`server answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  } catch (err) {
    log(`failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`.slice(0, 500));
  }
}

/** Stdin as text, at most MAX_STDIN bytes, or what came within `ms`. */
function readStdin(/** @type {number} */ ms) {
  return new Promise((resolve) => {
    if (process.stdin.isTTY) return resolve("");
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    const done = () => {
      clearTimeout(timer);
      process.stdin.pause();
      resolve(Buffer.concat(chunks).toString("utf8"));
    };
    const timer = setTimeout(done, ms);
    process.stdin.on("data", (/** @type {Buffer} */ c) => {
      if (size >= MAX_STDIN) return;
      chunks.push(c);
      size += c.length;
    });
    process.stdin.on("end", done);
    process.stdin.on("error", done);
  });
}

/** The few fields the server needs; a payload too large to parse still yields its event name. */
function parseEvent(/** @type {string} */ raw) {
  /** @type {Record<string, unknown>} */
  let j = {};
  try {
    const v = JSON.parse(raw);
    if (v && typeof v === "object") j = v;
  } catch {
    const m = /"(hook_event_name|type)"\s*:\s*"([A-Za-z0-9_-]{1,64})"/.exec(raw);
    if (m) j = { [m[1]]: m[2] };
  }
  const str = (/** @type {unknown} */ v, /** @type {number} */ n) => (typeof v === "string" && v ? v.slice(0, n) : undefined);
  const event = str(j.hook_event_name, 64) ?? str(j.type, 64);
  const detail = str(j.message, 300) ?? (typeof j.tool_name === "string" ? `tool: ${j.tool_name.slice(0, 100)}` : undefined) ?? str(j.error, 300);
  // StopFailure: the error's kind when it names one, then its details, then the last message shown.
  const kind = str(j.error, 64);
  const failure = [kind && kind !== "unknown" ? kind : undefined, str(j.error_details, 400), str(j.last_assistant_message, 400)].filter(Boolean).join(" — ");
  // Codex runs a turn of its own to title the thread; its completion is not the person's turn ending.
  const inputs = Array.isArray(j["input-messages"]) ? j["input-messages"].filter((m) => typeof m === "string").join("\n").slice(0, 4000) : "";
  return {
    event: event && /^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(event) ? event : undefined,
    error: event === "StopFailure" && failure ? failure.slice(0, 1000) : undefined,
    internal: /generate a (thread )?title/i.test(inputs),
    notificationType: str(j.notification_type, 64),
    sessionId: str(j.session_id, 200) ?? str(j["thread-id"], 200),
    detail,
  };
}

/**
 * One POST with node:http(s) rather than fetch: fetch loads undici, which costs more start-up time
 * than the whole request. Resolves with the status and (bounded) body text; rejects on a network
 * error or once `timeoutMs` has passed.
 */
async function postJson(/** @type {string} */ url, /** @type {Record<string, string>} */ headers, /** @type {string} */ body, /** @type {number} */ timeoutMs) {
  const u = new URL(url);
  // node:https (and TLS with it) only for an https URL: loading it costs start-up time otherwise.
  const lib = u.protocol === "https:" ? (await import("node:https")).default : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(u, { method: "POST", headers: { ...headers, "content-length": Buffer.byteLength(body) }, timeout: timeoutMs }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => {
        if (text.length < 1000) text += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      res.on("error", reject);
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on("close", () => clearTimeout(timer));
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}
