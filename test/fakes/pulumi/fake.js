const fs = require("node:fs");

const statePath = () => process.env.FAKE_PULUMI_STATE;
const load = () => JSON.parse(fs.readFileSync(statePath(), "utf8"));
const save = (state) => fs.writeFileSync(statePath(), JSON.stringify(state, null, 2));

function fail(message, state) {
  if (state) save(state);
  process.stderr.write(`error: ${message}\n`);
  process.exit(255);
}

function setPath(root, segments, value) {
  let node = root;
  segments.slice(0, -1).forEach((s) => (node = node[s] ??= {}));
  node[segments[segments.length - 1]] = value;
}

function removePath(root, segments) {
  let node = root;
  for (const s of segments.slice(0, -1)) node = node?.[s];
  if (node) delete node[segments[segments.length - 1]];
}

// "flipstack:services.api.release.live" → ["flipstack:services", "api", "release", "live"]
const splitKey = (key) => key.split(".");

function ledgerOf(state) {
  const services = state.config["flipstack:services"] ?? {};
  return Object.fromEntries(Object.entries(services).map(([name, svc]) => {
    const r = svc.release;
    const idle = r.live === "blue" ? "green" : "blue";
    const colors = ["blue", "green"].filter((c) => r[c]);
    return [name, {
      kind: svc.kind,
      live: r.live,
      idle: r[idle] ? idle : null,
      versions: { blue: r.blue?.version ?? null, green: r.green?.version ?? null },
      liveVersion: r[r.live]?.version ?? null,
      idleVersion: r[idle]?.version ?? null,
      previousVersion: r.previous?.version ?? null,
      generation: Number(r.generation ?? 0),
      phase: r.phase ?? null,
      slots: { blue: r.blue ?? null, green: r.green ?? null },
      previous: r.previous ?? null,
      urls: { public: `https://${name}.example.com/`, test: state.testUrl },
      testHost: `${name}.example.com`,
      smokeTest: { path: "/version", expectStatus: 200, versionHeader: "x-app-version" },
      alarms: { slots: Object.fromEntries(colors.map((c) => [c, [`${name}-${c}-5xx`, `${name}-${c}-unhealthy`]])), extra: [] },
      targetGroupArns: Object.fromEntries(colors.map((c) => [c, `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/${name}-${c}/0123456789abcdef`])),
    }];
  }));
}

function up(state) {
  state.ups = (state.ups ?? 0) + 1;
  if (state.locked) fail("the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.", state);
  if ((state.failUps ?? []).includes(state.ups)) fail(`update failed (injected fault on up #${state.ups})`, state);
  const next = ledgerOf(state);
  for (const [name, deployed] of Object.entries(state.outputs.services ?? {})) {
    const wanted = next[name];
    if (wanted && wanted.liveVersion !== deployed.liveVersion && wanted.generation <= deployed.generation) {
      fail(`flipstack:services.${name}.release: would move live traffic from ${deployed.liveVersion} to ${wanted.liveVersion} without a new generation`, state);
    }
  }
  state.outputs = { services: next };
  process.stdout.write(`Updating (${state.stack})\nResources: ${Object.keys(next).length} services updated\n`);
}

exports.main = function main(args) {
  if (process.env.FAKE_PULUMI_LOG) fs.appendFileSync(process.env.FAKE_PULUMI_LOG, JSON.stringify(args) + "\n");
  const [command, sub] = args;
  if (command === "version") return process.stdout.write("v3.200.0\n");
  const state = load();
  const operands = args.filter((a, i) => !a.startsWith("-") && !(args[i - 1] ?? "").match(/^--(stack|exec-kind|event-log|client|exec-agent)$/));
  if (command === "stack" && sub === "select") return;
  if (command === "stack" && sub === "output") return process.stdout.write(JSON.stringify(state.outputs));
  if (command === "stack" && sub === "history") {
    return process.stdout.write(JSON.stringify([{ version: state.ups ?? 0, kind: "update", startTime: "2026-11-22T10:00:00.000Z", endTime: "2026-11-22T10:00:01.000Z", message: "", environment: {}, config: {}, result: "succeeded", resourceChanges: {} }]));
  }
  if (command === "config" && sub === "set") {
    const value = args[args.indexOf("--") + 1];
    setPath(state.config, splitKey(operands[2]), value);
  } else if (command === "config" && sub === "rm") {
    removePath(state.config, splitKey(operands[2]));
  } else if (command === "up") {
    up(state);
  } else if (command === "cancel") {
    fail("the release command must never cancel another update");
  }
  save(state);
};
