import { DescribeServicesCommand } from "@aws-sdk/client-ecs";
import { readLedger } from "../../cli/release/applyRelease";
import { deploy } from "../../cli/release/steps/deploy";
import { promote } from "../../cli/release/steps/promote";
import { fixture, release, type Fixture } from "./harness";

const NEW = release("2.0.0");
const SERVICE = "api-blue-2.0.0";
const NEW_TASK = "arn:aws:ecs:eu-west-1:123456789012:task-definition/api-blue:200";
const OLD_TASK = "arn:aws:ecs:eu-west-1:123456789012:task-definition/api-blue:100";
const primary = (deployment: Record<string, unknown>) => ({ services: [{ serviceName: SERVICE, status: "ACTIVE", deployments: [{ status: "PRIMARY", runningCount: 2, desiredCount: 2, ...deployment }] }], failures: [] });

describe("an ECS deployment that pulumi up reported as done", () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await fixture();
  });
  afterEach(() => f.cleanup());

  it("was rolled back by the circuit breaker: deploy fails naming both task definitions, users stay on the live slot, promote refuses", async () => {
    f.ecs.on(DescribeServicesCommand).resolves(primary({ taskDefinition: OLD_TASK, rolloutState: "COMPLETED", rolloutStateReason: "ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1234" }));
    await expect(deploy(f.ctx, NEW)).rejects.toThrow(
      "deploy: blue 2.0.0: ECS runs api-blue:100, not the release's api-blue:200 (the deployment circuit breaker rolled it back: ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1234); users stay on green 1.0.0",
    );
    expect(f.live()).toBe("green 1.0.0");
    expect(f.ecs.commandCalls(DescribeServicesCommand)[0].args[0].input).toEqual({ cluster: "arn:aws:ecs:eu-west-1:123456789012:cluster/containers-0123456", services: [SERVICE] });
    await expect(promote(f.ctx)).rejects.toThrow();
    expect(f.live()).toBe("green 1.0.0");
  });

  it("failed its rollout: deploy fails with ECS's reason", async () => {
    f.ecs.on(DescribeServicesCommand).resolves(primary({ taskDefinition: NEW_TASK, rolloutState: "FAILED", rolloutStateReason: "tasks failed to start" }));
    await expect(deploy(f.ctx, NEW)).rejects.toThrow("the ECS rollout of api-blue:200 failed: tasks failed to start; users stay on green 1.0.0");
  });

  it("is still rolling out: deploy waits for it, then for healthy targets", async () => {
    f.ecs.on(DescribeServicesCommand)
      .resolvesOnce(primary({ taskDefinition: NEW_TASK, rolloutState: "IN_PROGRESS", runningCount: 1 }))
      .resolves(primary({ taskDefinition: NEW_TASK, rolloutState: "COMPLETED" }));
    await deploy(f.ctx, NEW);
    expect(f.ecs.commandCalls(DescribeServicesCommand)).toHaveLength(2);
    expect(f.logs).toContain("rollout: api-blue-2.0.0 runs api-blue:200 (2/2 tasks)");
    expect(f.logs.some((l) => l.startsWith("rollout: api-blue-2.0.0 IN_PROGRESS, 1/2 tasks, waiting"))).toBe(true);
    expect(await readLedger(f.ctx)).toMatchObject({ idle: "blue", idleVersion: "2.0.0", phase: "deployed" });
  });

  it("never completes: deploy gives up within the health timeout and says where it stands", async () => {
    f.ecs.on(DescribeServicesCommand).resolves(primary({ taskDefinition: NEW_TASK, rolloutState: "IN_PROGRESS", rolloutStateReason: "waiting for 2 tasks", runningCount: 0 }));
    await expect(deploy(f.ctx, NEW)).rejects.toThrow(/the ECS rollout of api-blue:200 did not complete within .* \(IN_PROGRESS: waiting for 2 tasks\); users stay on green 1\.0\.0/);
    expect(f.live()).toBe("green 1.0.0");
  });
});
