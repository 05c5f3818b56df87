// The release ledger the fake `pulumi up` exports as `services.<name>`: the same shape as components/serviceLedger.ts, computed
// deterministically from the stack config instead of from AWS resources. The release part comes from the program's
// own model (components/release.ts), so the fake cannot drift from what the program exports.
require("../../../bin/loadTypeScript.js").register();
const { COLORS, releaseLedger } = require("../../../components/release.ts");

// The shift a service's config asks for, resolved by the program's own code (components/trafficShift.ts), loaded
// only when a service has one.
function shiftOf(service) {
  if (service.shift === undefined) return { strategy: "allAtOnce", steps: [100], stepSeconds: 0, stickinessSeconds: null };
  require("sucrase/register/ts");
  const { shift } = require("../../../components/trafficShift.ts").resolveShift(service.shift);
  return { stickinessSeconds: null, ...shift };
}

const other = (color) => (color === "blue" ? "green" : "blue");

// `services.<name>.migration` as the program exports it (stacks/config.ts resolves the timeout, default 15m).
function migrationOf(service) {
  if (!service.migration) return null;
  if (service.migration.timeout === undefined) return { command: service.migration.command, timeoutSeconds: 900 };
  require("sucrase/register/ts");
  const { parseDurationSeconds } = require("../../../components/trafficShift.ts");
  return { command: service.migration.command, timeoutSeconds: parseDurationSeconds(service.migration.timeout) };
}

// How to run a one-off task of a container slot, as components/containerService.ts exports it.
const oneOffTask = (name, color, release) => ({
  clusterArn: "arn:aws:ecs:eu-west-1:123456789012:cluster/containers-0123456",
  taskDefinitionArn: `arn:aws:ecs:eu-west-1:123456789012:task-definition/${name}-${color}:${release.version.replace(/\D/g, "") || 1}`,
  containerName: name,
  launchType: "FARGATE",
  subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
  securityGroupIds: [`sg-${name}-${color}`],
  assignPublicIp: false,
  logGroupName: `/flipstack/staging/${name}-0123456`,
  logStreamPrefix: `${color}-${release.version}`,
});

// A container slot's ECS service and the task definition it must run, as components/blueGreenService.ts exports it.
const ecsService = (name, color, release) => {
  const { clusterArn, taskDefinitionArn } = oneOffTask(name, color, release);
  return { clusterArn, serviceName: `${name}-${color}-${release.version}`, taskDefinitionArn };
};

function ledgerEntry(name, service, options) {
  const release = service.release;
  const present = COLORS.filter((color) => release[color]);
  const byColor = (fn) => Object.fromEntries(present.map((color) => [color, fn(color)]));
  const host = service.routing?.hostHeaders?.[0] ?? null;
  // `pulumi config set --path` may have stored the generation as text; the program's config schema makes it a number.
  const { slots, previous, ...ledger } = releaseLedger({ ...release, generation: Number(release.generation ?? 0), weight: Number(release.weight ?? 0) });
  return {
    kind: service.kind,
    ...ledger,
    ...(!options.withoutArtefacts && { slots, previous }),
    weights: byColor((color) => (color === release.live ? 100 - Number(release.weight ?? 0) : Number(release.weight ?? 0))),
    shift: shiftOf(service),
    urls: { public: `https://${host ?? "lb.example.com"}/`, test: options.testUrl },
    testHost: host,
    smokeTest: { path: "/", expectStatus: 200, ...service.smokeTest },
    alarms: { slots: byColor((color) => [`${name}-${color}-5xx`, `${name}-${color}-unhealthy-hosts`]), extra: service.alarms ?? [] },
    targetGroupArns: byColor((color) => `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/${name}-${color}/0123456789abcdef`),
    targetGroupArnSuffixes: byColor((color) => `targetgroup/${name}-${color}/0123456789abcdef`),
    repository: service.kind === "containers" ? { url: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/${name}`, builds: options.buildsImages !== false } : null,
    ruleArns: {
      live: `arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/staging/50dc6c495c0c9188/f2f7dc8efc522ab2/${name}-live`,
      test: ledger.idle ? `arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/staging/50dc6c495c0c9188/0467ef3c8400ae65/${name}-test` : null,
    },
    migration: migrationOf(service),
    oneOffTasks: service.kind === "containers" ? byColor((color) => oneOffTask(name, color, release[color])) : {},
    ecsServices: service.kind === "containers" ? byColor((color) => ecsService(name, color, release[color])) : {},
  };
}

/** What the real program refuses (stacks/config.ts, stacks/staleGuard.ts), so that tests see the same failures. */
function configProblems(services, deployed) {
  const problems = [];
  for (const [name, service] of Object.entries(services)) {
    const release = service.release ?? {};
    const key = `flipstack:services.${name}.release`;
    if (!release[release.live]) problems.push(`${key}.live: is "${release.live}" but there is no ${release.live} slot`);
    for (const color of COLORS.filter((c) => release[c])) {
      const field = service.kind === "instances" ? "ami" : "image";
      if (!release[color][field]) problems.push(`${key}.${color}: a ${service.kind} release needs \`${field}\``);
    }
    const current = deployed[name];
    const generation = Number(release.generation ?? 0);
    const liveVersion = release[release.live]?.version;
    if (current && generation < current.generation) problems.push(`${key}: generation ${generation} is older than the deployed generation ${current.generation}`);
    else if (current && generation === current.generation && liveVersion !== current.liveVersion) {
      problems.push(`${key}: would move live traffic from ${current.liveVersion} (deployed) to ${liveVersion} without a new generation`);
    } else if (current && generation === current.generation && Number(release.weight ?? 0) !== (current.weight ?? 0)) {
      problems.push(`${key}: would move ${current.weight ?? 0}% (deployed) to ${Number(release.weight ?? 0)}% of users onto the idle slot without a new generation`);
    }
    if (Number(release.weight ?? 0) > 0 && !release[other(release.live)]) problems.push(`${key}.weight: is ${release.weight} but the idle slot is empty`);
  }
  return problems;
}

exports.ledger = (services, options) => Object.fromEntries(Object.entries(services).map(([name, s]) => [name, ledgerEntry(name, s, options)]));
exports.configProblems = configProblems;
