// A recording fake of the `pulumi` CLI, for testing `flipstack release` through the real Automation API.
//
// It answers the invocations the SDK makes (`version`, `stack select`, `stack output --json [--show-secrets]`,
// `stack history --json`, `config get|set|rm --path`, `up`) and keeps the stack in the JSON file named by
// FAKE_PULUMI_STATE:
//   { stack, config: { "<ns>:<key>": value }, outputs, testUrl,
//     lockedUps?: n          the next n `up`s find the stack locked by another update (-1: locked for good),
//     lockedMessage?: text   what a locked `up` says (default: the DIY backend's lock-file error),
//     staleLock?: true       the lock's owner is dead: `pulumi cancel` clears it (otherwise cancel is an error),
//     faults?: [{ up: n, mode: "fail" | "applyThenFail", message? }]   injected failures of the n-th `up`,
//     withoutArtefacts?: true   export a ledger without `slots` and `previous` (an older program),
//     buildFailure?: text    the image build of a slot marked `build: true` fails with this message,
//     pushed?: ["api:2.0.0"] image tags already in the repository (written by every build),
//     buildsImages?: false   the stack builds no images (production: `repository.builds` false),
//     ups: n }               how many `up`s ran.
// With FAKE_PULUMI_STATE_DIR instead, each stack has its own file `<dir>/<stack>.json` and `stack ls --json` lists
// them (a project with several stacks, for the dashboard); an `up` then also appends to the file's `history`.
// Every invocation is appended to FAKE_PULUMI_LOG as one JSON array per line. `up` validates the config the way the
// program does (live slot present, artefact per kind, stale-release guard) and exports the release ledger.
const fs = require("node:fs");
const { configProblems, ledger } = require("./ledger.js");

const VALUE_FLAGS = new Set(["--stack", "--exec-kind", "--event-log", "--client", "--exec-agent", "--page-size", "--page", "--message"]);
const LOCKED = "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n  s3://state/.pulumi/locks/organization/flipstack/staging/4a1c.json: created by ci@runner-7 (pid 4242) at 2026-11-22T10:00:00Z";

function parse(args) {
  const dashDash = args.indexOf("--");
  const head = dashDash < 0 ? args : args.slice(0, dashDash);
  const operands = head.filter((a, i) => !a.startsWith("-") && !VALUE_FLAGS.has(head[i - 1]));
  return { operands, flags: new Set(head.filter((a) => a.startsWith("-"))), value: dashDash < 0 ? undefined : args[dashDash + 1], stack: head[head.indexOf("--stack") + 1] };
}

class Exit extends Error {
  constructor(message, code = 255) {
    super(message);
    this.code = code;
  }
}

// "flipstack:services.api.release.live" → ["flipstack:services", "api", "release", "live"];
// "...release.failed[0].version" → [..., "release", "failed", 0, "version"] (a list index, as `--path` reads it)
const splitKey = (key) => key.split(".").flatMap((part) => {
  const [name, ...indexes] = part.split("[");
  return [name, ...indexes.map((i) => Number(i.replace("]", "")))];
});

function getPath(root, segments) {
  return segments.reduce((node, s) => (node === undefined || node === null ? undefined : node[s]), root);
}

function setPath(root, segments, value) {
  let node = root;
  segments.slice(0, -1).forEach((s, i) => (node = node[s] ??= typeof segments[i + 1] === "number" ? [] : {}));
  node[segments[segments.length - 1]] = value;
}

function removePath(root, segments) {
  const parent = getPath(root, segments.slice(0, -1));
  if (parent) delete parent[segments[segments.length - 1]];
}

// `pulumi config set --path` stores "true"/"false" as booleans and integers as numbers; everything else as a string.
function typedPathValue(text) {
  if (text === "true" || text === "false") return text === "true";
  return /^(0|-?[1-9]\d{0,14})$/.test(text) ? Number(text) : text;
}

function up(state, out) {
  state.ups = (state.ups ?? 0) + 1;
  if (state.lockedUps) {
    if (state.lockedUps > 0) state.lockedUps -= 1;
    throw new Exit(state.lockedMessage ?? LOCKED);
  }
  const fault = (state.faults ?? []).find((f) => f.up === state.ups);
  if (fault?.mode === "fail") throw new Exit(`error: ${fault.message ?? `update failed (injected fault on up #${state.ups})`}`);
  const services = buildImages(state, state.config["flipstack:services"] ?? {});
  const problems = configProblems(services, state.outputs.services ?? {});
  if (problems.length > 0) throw new Exit(`error: flipstack: invalid stack config:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  state.outputs = { services: ledger(services, { testUrl: state.testUrl, withoutArtefacts: state.withoutArtefacts, buildsImages: state.buildsImages }) };
  out(`Updating (${state.stack})\n\n     Type                 Name                Status\n     pulumi:pulumi:Stack  flipstack-${state.stack}\n`);
  out(`Outputs:\n    services: {...}\n\nResources:\n    ${Object.keys(services).length * 7} unchanged\n\nDuration: 1s\n`);
  if (state.history) state.history.unshift(historyEntry(state, "succeeded"));
  if (fault?.mode === "applyThenFail") throw new Exit(`error: ${fault.message ?? "connection to the backend lost after the update"}`);
}

// `pulumi preview`: the engine events the Automation API reads from `--event-log` (a file for CLI versions up to
// 3.205, as this fake reports). `state.checkoutChanges` lists what the checkout would change beyond the deployed
// stack (a test's stand-in for another branch's edits), each `{ op, type, name }`; by default nothing.
function preview(state, out, eventLog) {
  if (state.lockedUps) throw new Exit(state.lockedMessage ?? LOCKED);
  const changes = state.checkoutChanges ?? [];
  const urn = (c) => `urn:pulumi:${state.stack}::flipstack::${c.type}::${c.name}`;
  const events = [
    ...changes.map((c, i) => ({ sequence: i, timestamp: 0, resourcePreEvent: { metadata: { op: c.op, urn: urn(c), type: c.type, new: { custom: !c.type.startsWith("flipstack:"), type: c.type, urn: urn(c) } } } })),
    { sequence: changes.length, timestamp: 0, summaryEvent: { resourceChanges: { same: 14, ...(changes.length && { update: changes.length }) } } },
  ];
  if (eventLog) fs.writeFileSync(eventLog, events.map((e) => JSON.stringify(e)).join("\n") + "\n");
  out(`Previewing update (${state.stack})\n\nResources:\n    ${changes.length ? `~ ${changes.length} to update\n    ` : ""}14 unchanged\n`);
}

// What the program does for a container slot marked `build: true`: unless the deployed stack already runs that
// release (then its recorded digest), build and push `<repo>:<version>` and run the slot on the pushed digest.
// `state.buildFailure` makes the build fail; a tag in `state.pushed` is refused as ECR refuses an immutable tag.
// Returns the services as the program would run them; the stack config itself is left as it is.
function buildImages(state, services) {
  const resolved = JSON.parse(JSON.stringify(services));
  for (const [name, service] of Object.entries(resolved)) {
    for (const color of ["blue", "green"]) {
      const slot = service.release?.[color];
      if (!slot || slot.build !== true || slot.image) continue;
      const version = String(slot.version);
      const recorded = state.outputs.services?.[name]?.slots?.[color];
      delete slot.build;
      if (recorded && String(recorded.version) === version && recorded.image) {
        slot.image = recorded.image;
        continue;
      }
      const resource = `docker:index/image:Image resource 'image-${name}-${color}-${version}'`;
      if (state.buildFailure) throw new Exit(`error: ${resource}: ${state.buildFailure}`);
      const tag = `${name}:${version}`;
      if ((state.pushed ?? []).includes(tag)) {
        throw new Exit(`error: ${resource}: failed to push: tag invalid: The image tag '${version}' already exists in the '${name}' repository and cannot be overwritten because the repository is immutable. (ImageTagAlreadyExistsException)`);
      }
      state.pushed = [...(state.pushed ?? []), tag];
      const digest = require("node:crypto").createHash("sha256").update(tag).digest("hex");
      slot.image = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/${name}@sha256:${digest}`;
    }
  }
  return resolved;
}

// One entry of `pulumi stack history --json`, with the config the update ran with (as the CLI records it).
function historyEntry(state, result) {
  const startTime = new Date(Date.UTC(2026, 10, 22, 10, 0, state.ups)).toISOString();
  const config = Object.fromEntries(Object.entries(state.config).map(([k, v]) => [k, { value: typeof v === "string" ? v : JSON.stringify(v), secret: false }]));
  return { version: state.ups, kind: "update", startTime, endTime: startTime, message: "", environment: { "exec.kind": "auto.local", "git.author": "Dana Developer" }, config, result, resourceChanges: { same: 14 } };
}

function listStacks(dir, out) {
  const stacks = fs.readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -".json".length)).sort();
  out(JSON.stringify(stacks.map((name) => ({ name, current: false, updateInProgress: false, resourceCount: 14 }))) + "\n");
}

function run(args, state, out) {
  const { operands, flags, value, stack } = parse(args);
  const [command, sub] = operands;
  if (command === "version") return out("v3.200.0\n");
  if (stack && stack !== state.stack) throw new Exit(`error: no stack named '${stack}' found`);
  const is = (...words) => words.every((w, i) => operands[i] === w);
  if (is("stack", "select")) return;
  // Stack tags (state.tags); `state.tagsUnsupported` answers as a backend without them would.
  if (is("stack", "tag") && state.tagsUnsupported) throw new Exit("error: stack tags are not supported by this backend");
  if (is("stack", "tag", "get")) {
    const found = state.tags?.[operands[3]];
    if (found === undefined) throw new Exit(`error: stack tag '${operands[3]}' not found for stack '${state.stack}'`);
    return out(`${found}\n`);
  }
  if (is("stack", "tag", "set")) return void (state.tags = { ...state.tags, [operands[3]]: operands[4] });
  if (is("stack", "tag", "rm")) return void delete (state.tags ?? {})[operands[3]];
  if (is("stack", "output")) return out(JSON.stringify(state.outputs, null, 2) + "\n");
  if (is("stack", "history") && state.history) return out(JSON.stringify(state.history) + "\n");
  if (is("stack", "history")) {
    return out(JSON.stringify([{ version: state.ups ?? 0, kind: "update", startTime: "2026-11-22T10:00:00.000Z", endTime: "2026-11-22T10:00:01.000Z", message: "", environment: {}, config: {}, result: "succeeded", resourceChanges: { same: 14 } }]));
  }
  if (is("config", "get")) {
    const key = operands[2];
    const found = flags.has("--path") ? getPath(state.config, splitKey(key)) : state.config[key];
    if (found === undefined) throw new Exit(`error: configuration key '${key}' not found for stack '${state.stack}'`);
    const object = typeof found === "object" && found !== null;
    return out(JSON.stringify({ value: object ? JSON.stringify(found) : String(found), ...(object && { objectValue: found }), secret: false }, null, 2) + "\n");
  }
  if (is("config", "set")) {
    if (flags.has("--path")) setPath(state.config, splitKey(operands[2]), typedPathValue(value));
    else state.config[operands[2]] = value;
    return;
  }
  if (is("config", "rm")) {
    if (flags.has("--path")) removePath(state.config, splitKey(operands[2]));
    else delete state.config[operands[2]];
    return;
  }
  if (is("up")) return up(state, out);
  if (is("preview")) return preview(state, out, args[args.indexOf("--event-log") + 1]);
  // Only a lock the test declared stale (its owner dead) may be cancelled; anything else is a bug in flipstack.
  if (is("cancel")) {
    if (!state.staleLock) throw new Exit("error: fake pulumi: `pulumi cancel` would end another update; flipstack must never run it");
    state.lockedUps = 0;
    return out("The currently running update for 'staging' has been canceled!\n");
  }
  throw new Exit(`error: fake pulumi: unsupported command: ${[command, sub].filter(Boolean).join(" ")}`);
}

exports.main = function main(args) {
  if (process.env.FAKE_PULUMI_LOG) fs.appendFileSync(process.env.FAKE_PULUMI_LOG, JSON.stringify(args) + "\n");
  const dir = process.env.FAKE_PULUMI_STATE_DIR;
  const { operands, stack } = parse(args);
  if (dir && operands[0] === "stack" && operands[1] === "ls") return listStacks(dir, (text) => process.stdout.write(text));
  if (dir && stack && !fs.existsSync(`${dir}/${stack}.json`)) {
    process.stderr.write(`error: no stack named '${stack}' found\n`);
    process.exitCode = 255;
    return;
  }
  const file = dir && stack ? `${dir}/${stack}.json` : process.env.FAKE_PULUMI_STATE;
  const state = file ? JSON.parse(fs.readFileSync(file, "utf8")) : { config: {}, outputs: {} };
  const out = (text) => process.stdout.write(text);
  try {
    run(args, state, out);
  } catch (err) {
    if (!(err instanceof Exit)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exitCode = err.code;
  }
  // The state is saved after failures too: an `up` that fails still counts, and lock countdowns move on.
  if (file && args[0] !== "version") fs.writeFileSync(file, JSON.stringify(state, null, 2));
};
