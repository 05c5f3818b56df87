import { GetLogEventsCommand, type CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeTasksCommand, RunTaskCommand, StopTaskCommand, type ECSClient, type Task } from "@aws-sdk/client-ecs";
import { withAwsRetry } from "./awsRetry";
import { formatDuration } from "./duration";
import type { HealthWait } from "./healthWait";
import type { OneOffTask } from "./ledger";

/** `startedBy` of every migration task: how to find them in the ECS console or `aws ecs list-tasks --started-by`. */
export const MIGRATION_STARTED_BY = "flipstack-migrate";

/** How long and how often to wait for the task: the same bounds as the health wait. */
export type MigrationWait = HealthWait;

/**
 * Runs `command` once as a one-off task of the slot's task definition, on its cluster, in its network and with its
 * launch type, so that it has the service's image, roles and secrets. Streams the task's log lines while it runs,
 * resolves when its container exits 0, and rejects with why otherwise. A task still running at `timeoutMs` is
 * stopped: a migration left running unwatched could still change the schema after the deploy gave up.
 */
export async function runMigrationTask(ecs: ECSClient, logs: CloudWatchLogsClient, task: OneOffTask, command: readonly string[], wait: MigrationWait): Promise<void> {
  const started = wait.clock.now();
  const taskArn = await startTask(ecs, task, command, wait);
  const taskId = taskArn.slice(taskArn.lastIndexOf("/") + 1);
  wait.log(`migrate: task ${taskId} started (${task.launchType}, cluster ${task.clusterArn.slice(task.clusterArn.lastIndexOf("/") + 1)}): ${command.join(" ")}`);
  const lines = logReader(logs, task.logGroupName, `${task.logStreamPrefix}/${task.containerName}/${taskId}`, wait);
  for (;;) {
    const described = await describeTask(ecs, task.clusterArn, taskArn, wait);
    await lines.readNew();
    if (described?.lastStatus === "STOPPED") return outcome(described, task.containerName);
    const waited = wait.clock.now() - started;
    if (waited >= wait.timeoutMs) {
      const stop = new StopTaskCommand({ cluster: task.clusterArn, task: taskArn, reason: `flipstack: the migration did not finish within ${formatDuration(wait.timeoutMs)}` });
      await withAwsRetry("StopTask", () => ecs.send(stop), wait.clock, wait.log);
      throw new Error(`task ${taskId} did not finish within ${formatDuration(wait.timeoutMs)} (last status ${described?.lastStatus ?? "unknown"}); it was stopped`);
    }
    await wait.clock.sleep(Math.min(wait.pollMs, wait.timeoutMs - waited));
  }
}

async function startTask(ecs: ECSClient, task: OneOffTask, command: readonly string[], wait: MigrationWait): Promise<string> {
  const run = new RunTaskCommand({
    cluster: task.clusterArn,
    taskDefinition: task.taskDefinitionArn,
    count: 1,
    launchType: task.launchType as "FARGATE",
    networkConfiguration: {
      awsvpcConfiguration: { subnets: task.subnetIds, securityGroups: task.securityGroupIds, assignPublicIp: task.assignPublicIp ? "ENABLED" : "DISABLED" },
    },
    overrides: { containerOverrides: [{ name: task.containerName, command: [...command] }] },
    startedBy: MIGRATION_STARTED_BY,
  });
  const { tasks = [], failures = [] } = await withAwsRetry("RunTask", () => ecs.send(run), wait.clock, wait.log);
  const arn = tasks[0]?.taskArn;
  if (arn) return arn;
  const reasons = failures.map((f) => `${f.reason ?? "unknown"}${f.detail ? ` (${f.detail})` : ""}`).join("; ");
  throw new Error(`ECS did not start the task: ${reasons || "no task and no reason given"}`);
}

async function describeTask(ecs: ECSClient, cluster: string, taskArn: string, wait: MigrationWait): Promise<Task | undefined> {
  const command = new DescribeTasksCommand({ cluster, tasks: [taskArn] });
  const { tasks = [] } = await withAwsRetry("DescribeTasks", () => ecs.send(command), wait.clock, wait.log);
  return tasks[0];
}

/** Exit code 0 passes; any other, or a task stopped before its container exited (no image, no capacity), fails. */
function outcome(task: Task, containerName: string): void {
  const container = task.containers?.find((c) => c.name === containerName) ?? task.containers?.[0];
  if (container?.exitCode === 0) return;
  if (container?.exitCode !== undefined) throw new Error(`the migration exited with code ${container.exitCode}${task.stoppedReason ? ` (${task.stoppedReason})` : ""}`);
  throw new Error(`the task stopped without an exit code: ${task.stoppedReason ?? container?.reason ?? "no reason given"}`);
}

/**
 * The task's awslogs stream, read forward from where the last read stopped. The stream appears only once the
 * container has started, and a read that fails is no reason to fail a migration: both are passed over (the
 * failure said once).
 */
function logReader(logs: CloudWatchLogsClient, logGroupName: string, logStreamName: string, wait: MigrationWait) {
  let token: string | undefined;
  let warned = false;
  return {
    async readNew(): Promise<void> {
      for (;;) {
        let page;
        try {
          page = await withAwsRetry("GetLogEvents", () => getEvents(logs, logGroupName, logStreamName, token), wait.clock, wait.log);
        } catch (err) {
          if (!warned) wait.log(`migrate: cannot read the task's log stream ${logStreamName}: ${(err as Error).message}; find its lines in log group ${logGroupName}`);
          warned = true;
          return;
        }
        if (!page) return;
        for (const event of page.events ?? []) {
          for (const line of (event.message ?? "").replace(/\n$/, "").split("\n")) wait.log(`migrate: | ${line}`);
        }
        // The forward token stays the same once the end of the stream is reached.
        const next = page.nextForwardToken;
        if (!next || next === token || (page.events ?? []).length === 0) {
          token = next ?? token;
          return;
        }
        token = next;
      }
    },
  };
}

async function getEvents(logs: CloudWatchLogsClient, logGroupName: string, logStreamName: string, nextToken: string | undefined) {
  try {
    return await logs.send(new GetLogEventsCommand({ logGroupName, logStreamName, startFromHead: true, ...(nextToken && { nextToken }) }));
  } catch (err) {
    if ((err as Error).name === "ResourceNotFoundException") return undefined;
    throw err;
  }
}
