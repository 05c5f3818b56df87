import { containers, list, record, resourceRule } from "./define";

const ASG = "aws:autoscaling/group:Group";
const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;

const publicAddress = (props: Record<string, unknown>) =>
  list(props.networkInterfaces).map(record).some((n) => String(n.associatePublicIpAddress) === "true");

export const computeRules = [
  resourceRule("autoscaling-1-elb-health-checks", "AutoScaling.1: Groups behind a load balancer use ELB health checks", "mandatory", [ASG], (props) =>
    list(props.targetGroupArns).length > 0 && props.healthCheckType !== "ELB" ? "healthCheckType must be ELB for a group behind a load balancer" : undefined),
  resourceRule("autoscaling-2-multiple-zones", "AutoScaling.2: Groups span several availability zones", "advisory", [ASG], (props) =>
    Array.isArray(props.vpcZoneIdentifiers) && props.vpcZoneIdentifiers.length < 2 ? "the group runs in a single subnet" : undefined),
  resourceRule("autoscaling-5-no-public-ip", "AutoScaling.5: Instances launched by groups have no public IP", "mandatory", [LT], (props) =>
    publicAddress(props) ? "launch template gives instances a public IP" : undefined),
  resourceRule("autoscaling-9-launch-templates", "AutoScaling.9: Groups use launch templates", "mandatory", [ASG], (props) =>
    props.launchConfiguration !== undefined || props.launchTemplate === undefined ? "the group must use a launch template, not a launch configuration" : undefined),
  resourceRule("ec2-8-imdsv2", "EC2.8/EC2.170: Instances require IMDSv2", "mandatory", [LT], (props) =>
    record(props.metadataOptions).httpTokens === "required" ? undefined : "metadataOptions.httpTokens must be required (IMDSv2)"),
  resourceRule("ec2-9-no-public-ip", "EC2.9/EC2.25: Launch templates do not assign public IPs", "mandatory", [LT], (props) =>
    publicAddress(props) ? "networkInterfaces must not associate a public IP address" : undefined),
  resourceRule("ec2-181-encrypted-volumes", "EC2.181: Launch templates encrypt EBS volumes", "mandatory", [LT], (props) => {
    const mappings = list(props.blockDeviceMappings).map(record);
    return mappings.length > 0 && mappings.every((m) => String(record(m.ebs).encrypted) === "true") ? undefined : "every EBS volume of the launch template must be encrypted";
  }),
  resourceRule("ecs-2-no-public-ip", "ECS.2: ECS services do not assign public IPs", "mandatory", ["aws:ecs/service:Service"], (props) =>
    record(props.networkConfiguration).assignPublicIp === true ? "networkConfiguration.assignPublicIp must be false" : undefined),
  resourceRule("ecs-4-not-privileged", "ECS.4: Containers run without privileges", "mandatory", ["aws:ecs/taskDefinition:TaskDefinition"], (props) =>
    containers(props).filter((c) => c.privileged === true).map((c) => `container ${String(c.name)} is privileged`)),
  resourceRule("ecs-5-read-only-root", "ECS.5: Containers have read-only root filesystems", "mandatory", ["aws:ecs/taskDefinition:TaskDefinition"], (props) =>
    containers(props).filter((c) => c.readonlyRootFilesystem !== true).map((c) => `container ${String(c.name)} must set readonlyRootFilesystem`)),
  resourceRule("ecs-8-no-secrets-in-environment", "ECS.8: Secrets are not passed as environment variables", "mandatory", ["aws:ecs/taskDefinition:TaskDefinition"], (props) =>
    containers(props).flatMap((c) => list(c.environment).map(record).filter((e) => SECRET_NAME.test(String(e.name)))
      .map((e) => `container ${String(c.name)} passes ${String(e.name)} as a plain environment variable; use secrets (valueFrom) instead`))),
  resourceRule("ecs-9-logging", "ECS.9: Task definitions configure logging", "mandatory", ["aws:ecs/taskDefinition:TaskDefinition"], (props) =>
    containers(props).filter((c) => !record(c.logConfiguration).logDriver).map((c) => `container ${String(c.name)} has no logConfiguration`)),
  resourceRule("ecs-12-container-insights", "ECS.12: Clusters have Container Insights on", "mandatory", ["aws:ecs/cluster:Cluster"], (props) =>
    list(props.settings).map(record).some((s) => s.name === "containerInsights" && (s.value === "enabled" || s.value === "enhanced"))
      ? undefined
      : "the cluster must enable containerInsights"),
];
