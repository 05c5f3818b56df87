import { GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeTasksCommand, RunTaskCommand, StopTaskCommand } from "@aws-sdk/client-ecs";
import { releaseCommand } from "../../cli/commands/release";
import { readLedger } from "../../cli/release/applyRelease";
import { runPipeline } from "../../cli/release/pipeline";
import { deploy } from "../../cli/release/steps/deploy";
import { promote } from "../../cli/release/steps/promote";
import { verify } from "../../cli/release/steps/verify";
import { apiService, fixture, release, type Fixture } from "./harness";

const NEW = release("2.0.0");
const TASK_ID = "0f1e2d3c4b5a69788";
const TASK_ARN = `arn:aws:ecs:eu-west-1:123456789012:task/containers-0123456/${TASK_ID}`;
const migrating = (migration: { command: string[]; timeout?: string } = { command: ["npm", "run", "migrate"] }) => ({ ...apiService(), migration });

/** The task runs for one poll, then stops with `stopped`; its log stream holds `lines`. */
function taskThat(f: Fixture, stopped: { exitCode?: number; stoppedReason?: string }, lines: string[]) {
  f.ecs.on(RunTaskCommand).resolves({ tasks: [{ taskArn: TASK_ARN }], failures: [] });
  f.ecs.on(DescribeTasksCommand)
    .resolvesOnce({ tasks: [{ taskArn: TASK_ARN, lastStatus: "RUNNING", containers: [{ name: "api" }] }] })
    .resolves({ tasks: [{ taskArn: TASK_ARN, lastStatus: "STOPPED", stoppedReason: stopped.stoppedReason, containers: [{ name: "api", exitCode: stopped.exitCode }] }] });
  f.cloudwatchLogs.on(GetLogEventsCommand)
    .resolvesOnce({ events: lines.map((message, i) => ({ timestamp: i, message })), nextForwardToken: "f/1" })
    .resolves({ events: [], nextForwardToken: "f/1" });
}

describe("a migration that succeeds", () => {
  let f: Fixture;
  const printed: string[] = [];
  let whenTheTaskStarted: { live: string; phase: string | null } | undefined;
  beforeAll(async () => {
    f = await fixture(migrating());
    taskThat(f, { exitCode: 0, stoppedReason: "Essential container in task exited" }, ["Applying 0007_add_email", "Applied 1 migration"]);
    f.ecs.on(RunTaskCommand).callsFake(() => {
      whenTheTaskStarted = { live: f.live(), phase: f.state().outputs.services!.api.phase };
      return { tasks: [{ taskArn: TASK_ARN }], failures: [] };
    });
    await runPipeline(f.ctx, { artefact: NEW, bakeMs: 60_000, verify: {}, plain: true, print: (line) => printed.push(line) });
  });
  afterAll(() => f.cleanup());

  it("runs once, after the new slot is up and before it gets any traffic, then the release deploys and is promoted", () => {
    expect(f.ecs.commandCalls(RunTaskCommand)).toHaveLength(1);
    expect(whenTheTaskStarted).toEqual({ live: "green 1.0.0", phase: "migrating" });
    expect(f.calls().slice(0, 8)).toEqual([
      "set blue.version=2.0.0", `set blue.image=${NEW.image}`, "set phase=migrating", "up",
      "set phase=deployed", "up",
      "set phase=verified", "up",
    ]);
    expect(f.live()).toBe("blue 2.0.0");
  });

  it("starts a one-off task of the new slot's task definition, on the service's cluster and network, with the migration's command", () => {
    expect(f.ecs.commandCalls(RunTaskCommand)[0].args[0].input).toEqual({
      cluster: "arn:aws:ecs:eu-west-1:123456789012:cluster/containers-0123456",
      taskDefinition: "arn:aws:ecs:eu-west-1:123456789012:task-definition/api-blue:200",
      count: 1,
      launchType: "FARGATE",
      networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"], securityGroups: ["sg-api-blue"], assignPublicIp: "DISABLED" } },
      overrides: { containerOverrides: [{ name: "api", command: ["npm", "run", "migrate"] }] },
      startedBy: "flipstack-migrate",
    });
  });

  it("streams the task's log lines from its awslogs stream as progress lines", () => {
    expect(f.cloudwatchLogs.commandCalls(GetLogEventsCommand)[0].args[0].input).toEqual({
      logGroupName: "/flipstack/staging/api-0123456",
      logStreamName: `blue-2.0.0/api/${TASK_ID}`,
      startFromHead: true,
    });
    const lines = printed.filter((line) => line.includes("migrate:"));
    expect(lines).toEqual([
      "  migrate: running api's migration once with blue 2.0.0, before it gets any traffic",
      `  migrate: task ${TASK_ID} started (FARGATE, cluster containers-0123456): npm run migrate`,
      "  migrate: | Applying 0007_add_email",
      "  migrate: | Applied 1 migration",
      "  migrate: the migration of blue 2.0.0 exited 0",
    ]);
  });
});

describe("a migration that fails", () => {
  let f: Fixture;
  afterEach(() => f.cleanup());

  const release_ = (...args: string[]) => {
    const cli = releaseCommand(f.environment);
    [cli, ...cli.commands].forEach((c) => c.exitOverride());
    return cli.parseAsync([...args, "--stack", "staging", "--service", "api"], { from: "user" });
  };

  it("stops the deploy with users on the live slot, says so in one line, and shows the task's lines", async () => {
    f = await fixture(migrating());
    taskThat(f, { exitCode: 1, stoppedReason: "Essential container in task exited" }, ['ERROR: column "email" of relation "users" already exists']);
    await expect(release_("deploy", "--version", "2.0.0", "--image", NEW.image)).rejects.toThrow(
      "deploy: the migration of api blue 2.0.0 failed: the migration exited with code 1 (Essential container in task exited); " +
        "users stay on green 1.0.0, and blue 2.0.0 gets no traffic (verify and promote are refused until its migration passes); " +
        "fix the migration and deploy again, or `release retire --force` the idle slot",
    );
    expect(f.printed).toContain('migrate: | ERROR: column "email" of relation "users" already exists');
    expect(f.printed[f.printed.length - 1]).toBe("live: api green 1.0.0");
    expect(await readLedger(f.ctx)).toMatchObject({ live: "green", liveVersion: "1.0.0", idleVersion: "2.0.0", phase: "migrating" });
    // Nothing moves users onto a release whose migration failed.
    await expect(verify(f.ctx)).rejects.toThrow("which is not a newly deployed release (phase migrating)");
    await expect(promote(f.ctx)).rejects.toThrow();
    expect(f.live()).toBe("green 1.0.0");
  });

  it("says why ECS stopped a task that never ran its command", async () => {
    f = await fixture(migrating());
    taskThat(f, { stoppedReason: "CannotPullContainerError: pull image manifest has been retried 5 time(s)" }, []);
    await expect(deploy(f.ctx, NEW)).rejects.toThrow("failed: the task stopped without an exit code: CannotPullContainerError: pull image manifest has been retried 5 time(s); users stay on green 1.0.0");
  });

  it("says why ECS did not start the task", async () => {
    f = await fixture(migrating());
    f.ecs.on(RunTaskCommand).resolves({ tasks: [], failures: [{ arn: "arn:aws:ecs:eu-west-1:123456789012:cluster/containers-0123456", reason: "RESOURCE:ENI", detail: "no free addresses in subnet" }] });
    await expect(deploy(f.ctx, NEW)).rejects.toThrow("failed: ECS did not start the task: RESOURCE:ENI (no free addresses in subnet); users stay on green 1.0.0");
    expect(f.live()).toBe("green 1.0.0");
  });

  it("stops a task still running at the migration's timeout, and fails the deploy", async () => {
    f = await fixture(migrating({ command: ["npm", "run", "migrate"], timeout: "1m" }));
    f.ecs.on(RunTaskCommand).resolves({ tasks: [{ taskArn: TASK_ARN }] });
    f.ecs.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn: TASK_ARN, lastStatus: "RUNNING", containers: [{ name: "api" }] }] });
    f.ecs.on(StopTaskCommand).resolves({});
    f.cloudwatchLogs.on(GetLogEventsCommand).rejects(Object.assign(new Error("The specified log stream does not exist."), { name: "ResourceNotFoundException" }));
    await expect(deploy(f.ctx, NEW)).rejects.toThrow(`failed: task ${TASK_ID} did not finish within 1m 00s (last status RUNNING); it was stopped; users stay on green 1.0.0`);
    expect(f.ecs.commandCalls(StopTaskCommand)[0].args[0].input).toMatchObject({ task: TASK_ARN, reason: "flipstack: the migration did not finish within 1m 00s" });
    expect(f.clock.sleeps.reduce((a, b) => a + b, 0)).toBe(60_000);
  });

  it("runs again when the deploy is run again, and the release is deployed once it passes", async () => {
    f = await fixture(migrating());
    taskThat(f, { exitCode: 1 }, []);
    await expect(deploy(f.ctx, NEW)).rejects.toThrow("exited with code 1");
    f.ecs.reset();
    f.ecsRunsDeployed();
    f.cloudwatchLogs.reset();
    taskThat(f, { exitCode: 0 }, ["nothing to migrate"]);
    const before = f.calls().length;
    await deploy(f.ctx, NEW);
    expect(f.calls().slice(before)).toEqual(["up", "set phase=deployed", "up"]);
    expect(f.ecs.commandCalls(RunTaskCommand)).toHaveLength(1);
    expect(await readLedger(f.ctx)).toMatchObject({ idleVersion: "2.0.0", phase: "deployed" });
  });
});
