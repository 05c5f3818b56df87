import { DescribeServicesCommand, type Deployment, type ECSClient } from "@aws-sdk/client-ecs";
import { withAwsRetry } from "./awsRetry";
import { formatDuration } from "./duration";
import type { HealthWait } from "./healthWait";
import type { EcsService } from "./ledger";

/**
 * Waits until the ECS service's primary deployment runs the task definition the release deployed and its rollout
 * has completed. `pulumi up` can report success for a deployment that the deployment circuit breaker rolled back
 * to an older task definition (a known provider behaviour), and healthy targets alone do not say which task
 * definition they run. Rejects naming what ECS runs instead, or why the rollout failed.
 */
export async function waitRolledOut(ecs: ECSClient, service: EcsService, wait: HealthWait): Promise<void> {
  const started = wait.clock.now();
  const command = new DescribeServicesCommand({ cluster: service.clusterArn, services: [service.serviceName] });
  for (;;) {
    const { services = [], failures = [] } = await withAwsRetry("DescribeServices", () => ecs.send(command), wait.clock, wait.log);
    const found = services[0];
    if (!found || found.status === "INACTIVE") throw new Error(`ECS service ${service.serviceName} is ${found ? "inactive" : `missing (${failures[0]?.reason ?? "not found"})`}`);
    const primary = found.deployments?.find((d) => d.status === "PRIMARY");
    if (!primary) throw new Error(`ECS service ${service.serviceName} has no primary deployment`);
    if (primary.taskDefinition !== service.taskDefinitionArn) {
      throw new Error(`ECS runs ${name(primary.taskDefinition)}, not the release's ${name(service.taskDefinitionArn)} (the deployment circuit breaker rolled it back: ${reason(primary)})`);
    }
    if (primary.rolloutState === "FAILED") throw new Error(`the ECS rollout of ${name(service.taskDefinitionArn)} failed: ${reason(primary)}`);
    if (primary.rolloutState === "COMPLETED" || primary.rolloutState === undefined) {
      wait.log(`rollout: ${service.serviceName} runs ${name(service.taskDefinitionArn)} (${primary.runningCount ?? 0}/${primary.desiredCount ?? 0} tasks)`);
      return;
    }
    const waited = wait.clock.now() - started;
    if (waited >= wait.timeoutMs) throw new Error(`the ECS rollout of ${name(service.taskDefinitionArn)} did not complete within ${formatDuration(wait.timeoutMs)} (${primary.rolloutState}: ${reason(primary)})`);
    wait.log(`rollout: ${service.serviceName} ${primary.rolloutState}, ${primary.runningCount ?? 0}/${primary.desiredCount ?? 0} tasks, waiting (${formatDuration(wait.timeoutMs - waited)} left)`);
    await wait.clock.sleep(Math.min(wait.pollMs, wait.timeoutMs - waited));
  }
}

/** `api-blue:7` from a task definition ARN. */
const name = (arn: string | undefined) => arn?.split("/").pop() ?? "(none)";
const reason = (deployment: Deployment) => deployment.rolloutStateReason ?? "no reason given";
