import * as path from "node:path";
import type { Plan, PlannedResource } from "../../cli/plan/model";
import { planStack } from "../../cli/plan/planStack";
import { evaluatePlan } from "../../policies/harness";
import { allRules } from "../../policies/rules";
import { constraints } from "../../policies/constraints";

type Spec = { type: string; name?: string; id?: string; inputs?: Record<string, unknown>; parent?: string; urn?: string; retainOnDelete?: boolean; protect?: boolean; provider?: string };

let counter = 0;
function resource(spec: Spec): PlannedResource {
  const name = spec.name ?? `r${counter++}`;
  return {
    urn: spec.urn ?? `urn:pulumi:test::flipstack::${spec.type}::${name}`,
    type: spec.type,
    name,
    ...(spec.id ? { id: spec.id } : {}),
    parent: spec.parent ?? null,
    custom: !spec.type.startsWith("flipstack:"),
    inputs: spec.inputs ?? {},
    options: { protect: spec.protect ?? false, retainOnDelete: spec.retainOnDelete ?? false, deleteBeforeReplace: false, dependsOn: [], ignoreChanges: [], replaceOnChanges: [], ...(spec.provider ? { provider: `urn:pulumi:test::flipstack::pulumi:providers:aws::${spec.provider}::id-${spec.provider}` } : {}) },
  };
}
const plan = (specs: Spec[]): Plan => ({
  stack: "test",
  project: "flipstack",
  resources: specs.map(resource),
  outputs: { preview: { httpsListenerArn: "shared" } },
  violations: [],
  region: "eu-west-1",
});
const fired = async (rule: string, specs: Spec[]) => (await evaluatePlan(plan(specs))).filter((v) => v.rule === rule);

const LB = "aws:lb/loadBalancer:LoadBalancer";
const LISTENER = "aws:lb/listener:Listener";
const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const ASG = "aws:autoscaling/group:Group";
const TASK = "aws:ecs/taskDefinition:TaskDefinition";
const DB = "aws:rds/instance:Instance";
// A database as the Database component builds it.
const goodDb = { engine: "postgres", storageEncrypted: true, publiclyAccessible: false, multiAz: true, deletionProtection: true, backupRetentionPeriod: 30, autoMinorVersionUpgrade: true, copyTagsToSnapshot: true };
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const task = (container: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  ({ type: TASK, inputs: { requiresCompatibilities: ["FARGATE"], cpu: "256", memory: "512", containerDefinitions: JSON.stringify([{ name: "api", readonlyRootFilesystem: true, logConfiguration: { logDriver: "awslogs" }, ...container }]), ...extra } });
const goodLt = { metadataOptions: { httpTokens: "required" }, blockDeviceMappings: [{ ebs: { encrypted: "true" } }], networkInterfaces: [{ associatePublicIpAddress: "false" }] };
const bucketUrn = (name: string) => `urn:pulumi:test::flipstack::flipstack:storage:FileArchive$aws:s3/bucket:Bucket::${name}`;
const bucketSet = (policy: string, block = true, logging = true, versioning = "Enabled"): Spec[] => [
  { type: "aws:s3/bucket:Bucket", name: "files-bucket", id: "files-bucket-1", urn: bucketUrn("files-bucket"), retainOnDelete: true },
  { type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", inputs: { bucket: "files-bucket-1", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: block } },
  { type: "aws:s3/bucketPolicy:BucketPolicy", inputs: { bucket: "files-bucket-1", policy } },
  ...(logging ? [{ type: "aws:s3/bucketLogging:BucketLogging", inputs: { bucket: "files-bucket-1" } }] : []),
  { type: "aws:s3/bucketVersioning:BucketVersioning", inputs: { bucket: "files-bucket-1", versioningConfiguration: { status: versioning } } },
  { type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", inputs: { bucket: "files-bucket-1", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] } },
];
const TLS_ONLY = JSON.stringify({ Statement: [{ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }] });
const service = (live: string, forwardTo: string, name = (role: string) => `api-${role}`): Spec[] => [
  { type: "flipstack:traffic:BlueGreenService", name: "api", urn: "urn:svc", inputs: { release: { live } } },
  { type: "aws:lb/targetGroup:TargetGroup", name: name("blue"), id: "tg-blue", parent: "urn:svc", inputs: { tags: { "flipstack:color": "blue" } } },
  { type: "aws:lb/targetGroup:TargetGroup", name: name("green"), id: "tg-green", parent: "urn:svc", inputs: { tags: { "flipstack:color": "green" } } },
  { type: "aws:lb/listenerRule:ListenerRule", name: name("live"), parent: "urn:svc", inputs: { priority: 1, listenerArn: "l", actions: [{ type: "forward", targetGroupArn: forwardTo }], tags: { "flipstack:route": "live" } } },
];
const shifted = (live: string, targetGroups: Array<{ arn: string; weight: number }>): Spec[] => [
  ...service(live, "unused").slice(0, 3),
  { type: "aws:lb/listenerRule:ListenerRule", name: "api-live", parent: "urn:svc", inputs: { priority: 1, listenerArn: "l", actions: [{ type: "forward", forward: { targetGroups } }], tags: { "flipstack:route": "live" } } },
];
/** An instance group as planned: launch template, agent config parameter and role policies under the component. */
const LOG_GROUP = "/flipstack/test/web-1";
const LOG_GROUP_ARN = `arn:aws:logs:eu-west-1:123456789012:log-group:${LOG_GROUP}`;
const AGENT_PARAMETER = `${LOG_GROUP}/blue/1.0/cloudwatch-agent`;
const agentConfig = JSON.stringify({ logs: { logs_collected: { files: { collect_list: [{ file_path: "/var/log/web/*.log", log_group_name: LOG_GROUP, log_stream_name: "1.0/{instance_id}/app" }] } } } });
const logGrant = (resources: string[], action: string | string[] = ["logs:CreateLogStream", "logs:PutLogEvents"]) =>
  JSON.stringify({ Statement: [{ Effect: "Allow", Action: action, Resource: resources }] });
const instanceGroup = ({ userData = `#!/bin/bash\namazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c ssm:${AGENT_PARAMETER}\n`, grants = [logGrant([LOG_GROUP_ARN, `${LOG_GROUP_ARN}:*`])], attach = [] as string[] } = {}): Spec[] => [
  { type: "flipstack:compute:ImmutableInstanceGroup", name: "web-blue-1.0", urn: "urn:group" },
  { type: LT, name: "web-blue-1.0-lt", urn: "urn:lt", parent: "urn:group", inputs: { ...goodLt, userData: Buffer.from(userData).toString("base64") } },
  { type: "aws:ssm/parameter:Parameter", name: "web-blue-1.0-log-agent", parent: "urn:group", inputs: { name: AGENT_PARAMETER, type: "String", insecureValue: agentConfig } },
  ...grants.map((policy) => ({ type: "aws:iam/rolePolicy:RolePolicy", parent: "urn:group", inputs: { role: "r", policy } })),
  ...attach.map((policyArn) => ({ type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", parent: "urn:group", inputs: { role: "r", policyArn } })),
];
const groups = (n: number) => Array.from({ length: n }, (_, i) => ({ arn: `tg-${i}`, weight: 10 }));

// For every rule and constraint: [rule, a plan that violates it, a plan that satisfies it].
const cases: Array<[string, Spec[], Spec[]]> = [
  ["elb-1-http-redirects-to-https", [{ type: LISTENER, inputs: { protocol: "HTTP", defaultActions: [{ type: "forward" }] } }], [{ type: LISTENER, inputs: { protocol: "HTTP", defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS" } }] } }]],
  ["elb-4-drop-invalid-headers", [{ type: LB, inputs: {} }], [{ type: LB, inputs: { dropInvalidHeaderFields: true } }]],
  ["elb-5-access-logs", [{ type: LB, inputs: { accessLogs: { enabled: false } } }], [{ type: LB, inputs: { accessLogs: { enabled: true } } }]],
  ["elb-6-deletion-protection", [{ type: LB, inputs: { tags: { "flipstack:environment": "production" } } }], [{ type: LB, inputs: { tags: { "flipstack:environment": "staging" } } }]],
  ["elb-12-desync-mitigation", [{ type: LB, inputs: { desyncMitigationMode: "monitor" } }], [{ type: LB, inputs: { desyncMitigationMode: "strictest" } }]],
  ["elb-13-multiple-zones", [{ type: LB, inputs: { subnets: ["s1"] } }], [{ type: LB, inputs: { subnets: ["s1", "s2"] } }]],
  ["elb-17-tls13-policy", [{ type: LISTENER, inputs: { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08" } }], [{ type: LISTENER, inputs: { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" } }]],
  ["autoscaling-1-elb-health-checks", [{ type: ASG, inputs: { targetGroupArns: ["tg"], healthCheckType: "EC2", launchTemplate: {} } }], [{ type: ASG, inputs: { targetGroupArns: ["tg"], healthCheckType: "ELB", launchTemplate: {} } }]],
  ["autoscaling-2-multiple-zones", [{ type: ASG, inputs: { vpcZoneIdentifiers: ["a"], launchTemplate: {} } }], [{ type: ASG, inputs: { vpcZoneIdentifiers: ["a", "b"], launchTemplate: {} } }]],
  ["autoscaling-5-no-public-ip", [{ type: LT, inputs: { ...goodLt, networkInterfaces: [{ associatePublicIpAddress: "true" }] } }], [{ type: LT, inputs: goodLt }]],
  ["autoscaling-9-launch-templates", [{ type: ASG, inputs: { launchConfiguration: "lc" } }], [{ type: ASG, inputs: { launchTemplate: { id: "lt" } } }]],
  ["ec2-8-imdsv2", [{ type: LT, inputs: { ...goodLt, metadataOptions: { httpTokens: "optional" } } }], [{ type: LT, inputs: goodLt }]],
  ["ec2-9-no-public-ip", [{ type: LT, inputs: { ...goodLt, networkInterfaces: [{ associatePublicIpAddress: "true" }] } }], [{ type: LT, inputs: goodLt }]],
  ["ec2-181-encrypted-volumes", [{ type: LT, inputs: { ...goodLt, blockDeviceMappings: [{ ebs: { encrypted: "false" } }] } }], [{ type: LT, inputs: goodLt }]],
  ["ec2-2-default-sg-no-rules", [{ type: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", inputs: { ingress: [{ protocol: "-1" }] } }], [{ type: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", inputs: {} }]],
  ["ec2-15-no-auto-public-ip", [{ type: "aws:ec2/subnet:Subnet", inputs: { mapPublicIpOnLaunch: true, cidrBlock: "10.0.0.0/24" } }], [{ type: "aws:ec2/subnet:Subnet", inputs: { mapPublicIpOnLaunch: false, cidrBlock: "10.0.0.0/24" } }]],
  ["ec2-18-restricted-ingress", [{ type: INGRESS, inputs: { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" } }], [{ type: INGRESS, inputs: { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" } }]],
  ["ec2-171-vpn-tunnel-logs", [{ type: "aws:ec2/vpnConnection:VpnConnection", inputs: {} }], [{ type: "aws:ec2/vpnConnection:VpnConnection", inputs: { tunnel1LogOptions: { cloudwatchLogOptions: { logEnabled: true } }, tunnel2LogOptions: { cloudwatchLogOptions: { logEnabled: true } } } }, { type: "aws:cloudwatch/metricAlarm:MetricAlarm", inputs: { metricName: "TunnelState" } }, { type: "aws:cloudwatch/metricAlarm:MetricAlarm", inputs: { metricName: "TunnelState" } }]],
  ["ec2-6-flow-logs", [{ type: "aws:ec2/vpc:Vpc", id: "vpc-1", inputs: { cidrBlock: "10.0.0.0/16" } }], [{ type: "aws:ec2/vpc:Vpc", id: "vpc-1", inputs: { cidrBlock: "10.0.0.0/16" } }, { type: "aws:ec2/flowLog:FlowLog", inputs: { vpcId: "vpc-1" } }]],
  ["ec2-20-vpn-tunnel-alarms", [{ type: "aws:ec2/vpnConnection:VpnConnection" }, { type: "aws:cloudwatch/metricAlarm:MetricAlarm", inputs: { metricName: "TunnelState" } }], [{ type: "aws:ec2/vpnConnection:VpnConnection" }, { type: "aws:cloudwatch/metricAlarm:MetricAlarm", inputs: { metricName: "TunnelState" } }, { type: "aws:cloudwatch/metricAlarm:MetricAlarm", inputs: { metricName: "TunnelState" } }]],
  ["ecs-2-no-public-ip", [{ type: "aws:ecs/service:Service", inputs: { networkConfiguration: { assignPublicIp: true } } }], [{ type: "aws:ecs/service:Service", inputs: { networkConfiguration: { assignPublicIp: false } } }]],
  ["ecs-4-not-privileged", [task({ privileged: true })], [task({ privileged: false })]],
  ["ecs-5-read-only-root", [task({ readonlyRootFilesystem: false })], [task({})]],
  ["ecs-8-no-secrets-in-environment", [task({ environment: [{ name: "DB_PASSWORD", value: "hunter2" }] })], [task({ environment: [{ name: "LOG_LEVEL", value: "info" }], secrets: [{ name: "DB_PASSWORD", valueFrom: "arn:..." }] })]],
  ["ecs-9-logging", [task({ logConfiguration: undefined })], [task({})]],
  ["ecs-12-container-insights", [{ type: "aws:ecs/cluster:Cluster", inputs: {} }], [{ type: "aws:ecs/cluster:Cluster", inputs: { settings: [{ name: "containerInsights", value: "enabled" }] } }]],
  ["s3-1-block-public-access", bucketSet(TLS_ONLY, false), bucketSet(TLS_ONLY)],
  ["s3-5-tls-only", bucketSet("{}"), bucketSet(TLS_ONLY)],
  ["s3-9-archive-access-logs", bucketSet(TLS_ONLY, true, false), bucketSet(TLS_ONLY)],
  ["archive-versioned-encrypted", bucketSet(TLS_ONLY, true, true, "Suspended"), bucketSet(TLS_ONLY)],
  ["cloudwatch-log-retention", [{ type: "aws:cloudwatch/logGroup:LogGroup", inputs: {}, retainOnDelete: true }], [{ type: "aws:cloudwatch/logGroup:LogGroup", inputs: { retentionInDays: 30 }, retainOnDelete: true }]],
  ["flipstack-no-fixed-names", [{ type: "aws:lb/targetGroup:TargetGroup", inputs: { name: "api-blue" } }], [{ type: "aws:lb/targetGroup:TargetGroup", inputs: { namePrefix: "apib" } }]],
  ["flipstack-live-slot-routed", service("blue", "tg-green"), service("blue", "tg-blue")],
  ["flipstack-live-slot-routed", shifted("blue", [{ arn: "tg-green", weight: 10 }]), shifted("blue", [{ arn: "tg-blue", weight: 90 }, { arn: "tg-green", weight: 10 }])],
  ["flipstack-live-slot-routed", shifted("blue", [{ arn: "tg-blue", weight: 0 }, { arn: "tg-green", weight: 100 }]), shifted("blue", [{ arn: "tg-blue", weight: 1 }, { arn: "tg-green", weight: 99 }])],
  ["flipstack-test-listener-private", [{ type: LISTENER, inputs: { port: 8443 } }, { type: INGRESS, inputs: { ipProtocol: "tcp", fromPort: 8443, toPort: 8443, cidrIpv4: "0.0.0.0/0" } }], [{ type: LISTENER, inputs: { port: 8443 } }, { type: INGRESS, inputs: { ipProtocol: "tcp", fromPort: 8443, toPort: 8443, cidrIpv4: "203.0.113.0/24" } }]],
  ["flipstack-instance-logs-shipped", instanceGroup({ userData: "#!/bin/bash\nsystemctl start web\n" }), instanceGroup()],
  ["flipstack-instance-logs-shipped", instanceGroup({ grants: [logGrant(["*"], "logs:*")] }), instanceGroup({ grants: [logGrant([`${LOG_GROUP_ARN}:*`], "logs:Put*")] })],
  ["flipstack-stateful-retained", [{ type: "aws:cloudwatch/logGroup:LogGroup", inputs: { retentionInDays: 30 } }], [{ type: "aws:cloudwatch/logGroup:LogGroup", inputs: { retentionInDays: 30 }, retainOnDelete: true }]],
  ["aws-load-balancer-name-length", [{ type: LB, inputs: { name: "a-forty-character-load-balancer-name-xyz" } }], [{ type: LB, inputs: { namePrefix: "edge" } }]],
  ["aws-target-group-name-length", [{ type: "aws:lb/targetGroup:TargetGroup", inputs: { namePrefix: "toolong" } }], [{ type: "aws:lb/targetGroup:TargetGroup", inputs: { namePrefix: "apib" } }]],
  ["aws-load-balancer-two-zones", [{ type: "aws:ec2/subnet:Subnet", id: "s1", inputs: { availabilityZone: "eu-west-1a", cidrBlock: "10.0.0.0/24" } }, { type: "aws:ec2/subnet:Subnet", id: "s2", inputs: { availabilityZone: "eu-west-1a", cidrBlock: "10.0.1.0/24" } }, { type: LB, inputs: { subnets: ["s1", "s2"] } }],
    [{ type: "aws:ec2/subnet:Subnet", id: "s1", inputs: { availabilityZone: "eu-west-1a", cidrBlock: "10.0.0.0/24" } }, { type: "aws:ec2/subnet:Subnet", id: "s2", inputs: { availabilityZone: "eu-west-1b", cidrBlock: "10.0.1.0/24" } }, { type: LB, inputs: { subnets: ["s1", "s2"] } }]],
  ["aws-listener-rule-priority", [{ type: "aws:lb/listenerRule:ListenerRule", inputs: { listenerArn: "l", priority: 5 } }, { type: "aws:lb/listenerRule:ListenerRule", inputs: { listenerArn: "l", priority: 5 } }], [{ type: "aws:lb/listenerRule:ListenerRule", inputs: { listenerArn: "l", priority: 5 } }, { type: "aws:lb/listenerRule:ListenerRule", inputs: { listenerArn: "m", priority: 5 } }]],
  ["aws-listener-rule-conditions", [{ type: "aws:lb/listenerRule:ListenerRule", inputs: { listenerArn: "l", priority: 1, conditions: [{ hostHeader: { values: ["a", "b", "c"] } }, { pathPattern: { values: ["/1", "/2", "/3"] } }] } }], [{ type: "aws:lb/listenerRule:ListenerRule", inputs: { listenerArn: "l", priority: 1, conditions: [{ hostHeader: { values: ["a"] } }] } }]],
  ["aws-forward-action", [{ type: "aws:lb/listenerRule:ListenerRule", inputs: { listenerArn: "l", priority: 1, actions: [{ forward: { targetGroups: [{ arn: "a", weight: 1000 }] } }] } }], [{ type: "aws:lb/listenerRule:ListenerRule", inputs: { listenerArn: "l", priority: 1, actions: [{ forward: { targetGroups: [{ arn: "a", weight: 100 }] } }] } }]],
  ["aws-forward-action", [{ type: "aws:lb/listenerRule:ListenerRule", inputs: { listenerArn: "l", priority: 1, actions: [{ forward: { targetGroups: groups(6) } }] } }], [{ type: "aws:lb/listenerRule:ListenerRule", inputs: { listenerArn: "l", priority: 1, actions: [{ forward: { targetGroups: groups(5) } }] } }]],
  ["aws-listener-port-unique", [{ type: LISTENER, inputs: { loadBalancerArn: "lb", port: 443 } }, { type: LISTENER, inputs: { loadBalancerArn: "lb", port: 443 } }], [{ type: LISTENER, inputs: { loadBalancerArn: "lb", port: 443 } }, { type: LISTENER, inputs: { loadBalancerArn: "lb", port: 8443 } }]],
  ["aws-target-group-health-check", [{ type: "aws:lb/targetGroup:TargetGroup", inputs: { healthCheck: { interval: 5, timeout: 5, healthyThreshold: 1 } } }], [{ type: "aws:lb/targetGroup:TargetGroup", inputs: { healthCheck: { interval: 5, timeout: 4, healthyThreshold: 2 } } }]],
  ["aws-certificate-region", [{ type: LISTENER, inputs: { certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/x" } }], [{ type: LISTENER, inputs: { certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/x" } }]],
  ["aws-vpc-cidr-size", [{ type: "aws:ec2/vpc:Vpc", inputs: { cidrBlock: "10.0.0.0/8" } }], [{ type: "aws:ec2/vpc:Vpc", inputs: { cidrBlock: "10.0.0.0/16" } }]],
  ["aws-subnet-cidrs", [{ type: "aws:ec2/vpc:Vpc", id: "v", inputs: { cidrBlock: "10.0.0.0/16" } }, { type: "aws:ec2/subnet:Subnet", inputs: { vpcId: "v", cidrBlock: "10.1.0.0/24" } }], [{ type: "aws:ec2/vpc:Vpc", id: "v", inputs: { cidrBlock: "10.0.0.0/16" } }, { type: "aws:ec2/subnet:Subnet", inputs: { vpcId: "v", cidrBlock: "10.0.0.0/24" } }]],
  ["aws-availability-zones", [{ type: "aws:ec2/subnet:Subnet", inputs: { availabilityZone: "eu-west-1d", cidrBlock: "10.0.0.0/24" } }], [{ type: "aws:ec2/subnet:Subnet", inputs: { availabilityZone: "eu-west-1c", cidrBlock: "10.0.0.0/24" } }]],
  ["aws-auto-scaling-capacity", [{ type: ASG, inputs: { minSize: 3, desiredCapacity: 2, maxSize: 4, launchTemplate: {} } }], [{ type: ASG, inputs: { minSize: 1, desiredCapacity: 2, maxSize: 4, launchTemplate: {} } }]],
  ["aws-fargate-size", [task({}, { cpu: "256", memory: "4096" })], [task({}, { cpu: "512", memory: "1024" })]],
  ["aws-log-retention", [{ type: "aws:cloudwatch/logGroup:LogGroup", inputs: { retentionInDays: 45 }, retainOnDelete: true }], [{ type: "aws:cloudwatch/logGroup:LogGroup", inputs: { retentionInDays: 60 }, retainOnDelete: true }]],
  ["aws-listener-rule-condition-values", [{ type: "aws:lb/listenerRule:ListenerRule", inputs: { listenerArn: "l", priority: 1, conditions: [{ pathPattern: { values: ["/a"] } }, { pathPattern: { values: ["/b"] } }] } }], [{ type: "aws:lb/listenerRule:ListenerRule", inputs: { listenerArn: "l", priority: 1, conditions: [{ pathPattern: { values: ["/a", "/b"] } }, { hostHeader: { values: ["a"] } }] } }]],
  ["aws-target-group-success-codes", [{ type: "aws:lb/targetGroup:TargetGroup", inputs: { healthCheck: { matcher: "200,302,503" } } }], [{ type: "aws:lb/targetGroup:TargetGroup", inputs: { healthCheck: { matcher: "200,302,400-499" } } }]],
  ["flipstack-preview-priority-range", [{ type: "aws:lb/listenerRule:ListenerRule", inputs: { listenerArn: "shared", priority: 10000 } }], [{ type: "aws:lb/listenerRule:ListenerRule", inputs: { listenerArn: "shared", priority: 9999 } }, { type: "aws:lb/listenerRule:ListenerRule", inputs: { listenerArn: "test", priority: 10000 } }]],
  ["aws-load-balancer-quotas", [{ type: LB, id: "lb" }, ...Array.from({ length: 51 }, (_, i) => ({ type: LISTENER, inputs: { loadBalancerArn: "lb", port: 1000 + i } }))], [{ type: LB, id: "lb" }, ...Array.from({ length: 50 }, (_, i) => ({ type: LISTENER, inputs: { loadBalancerArn: "lb", port: 1000 + i } }))]],
  ["aws-instance-type", [{ type: LT, inputs: { ...goodLt, instanceType: "m5.medium" } }], [{ type: LT, inputs: { ...goodLt, instanceType: "m5.large" } }]],
  ["aws-s3-lifecycle-transitions", [{ type: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", inputs: { rules: [{ id: "r", transitions: [{ days: 90, storageClass: "STANDARD_IA" }, { days: 60, storageClass: "GLACIER" }] }] } }], [{ type: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", inputs: { rules: [{ id: "r", transitions: [{ days: 30, storageClass: "STANDARD_IA" }, { days: 60, storageClass: "GLACIER" }], expiration: { days: 400 } }] } }]],
  ["aws-physical-names", [{ type: "aws:iam/role:Role", inputs: { namePrefix: "a-forty-character-role-name-prefix-xyz-" } }], [{ type: "aws:iam/role:Role", inputs: { namePrefix: "a-thirty-eight-character-role-prefix-" } }]],
  ["aws-same-region", [{ type: "pulumi:providers:aws", name: "east", inputs: { region: "us-east-1" } }, { type: "aws:ec2/subnet:Subnet", id: "s1", inputs: { cidrBlock: "10.0.0.0/24" } }, { type: LB, inputs: { subnets: ["s1"] }, provider: "east" }],
    [{ type: "pulumi:providers:aws", name: "east", inputs: { region: "us-east-1" } }, { type: "aws:ec2/subnet:Subnet", id: "s1", inputs: { cidrBlock: "10.0.0.0/24" }, provider: "east" }, { type: LB, inputs: { subnets: ["s1"] }, provider: "east" }]],
  ["aws-same-vpc", [{ type: "aws:ec2/subnet:Subnet", id: "s1", inputs: { vpcId: "v1", cidrBlock: "10.0.0.0/24" } }, { type: "aws:ec2/securityGroup:SecurityGroup", id: "g1", inputs: { vpcId: "v2" } }, { type: LB, inputs: { subnets: ["s1"], securityGroups: ["g1"] } }],
    [{ type: "aws:ec2/subnet:Subnet", id: "s1", inputs: { vpcId: "v1", cidrBlock: "10.0.0.0/24" } }, { type: "aws:ec2/securityGroup:SecurityGroup", id: "g1", inputs: { vpcId: "v1" } }, { type: LB, inputs: { subnets: ["s1"], securityGroups: ["g1"] } }]],
  ["aws-target-group-vpc", [{ type: "aws:ec2/subnet:Subnet", id: "s1", inputs: { vpcId: "v1", cidrBlock: "10.0.0.0/24" } }, { type: LB, id: "lb", inputs: { subnets: ["s1"] } }, { type: "aws:lb/targetGroup:TargetGroup", id: "tg", inputs: { vpcId: "v2" } }, { type: LISTENER, inputs: { loadBalancerArn: "lb", defaultActions: [{ type: "forward", targetGroupArn: "tg" }] } }],
    [{ type: "aws:ec2/subnet:Subnet", id: "s1", inputs: { vpcId: "v1", cidrBlock: "10.0.0.0/24" } }, { type: LB, id: "lb", inputs: { subnets: ["s1"] } }, { type: "aws:lb/targetGroup:TargetGroup", id: "tg", inputs: { vpcId: "v1" } }, { type: LISTENER, inputs: { loadBalancerArn: "lb", defaultActions: [{ type: "forward", targetGroupArn: "tg" }] } }]],
  ["aws-one-per-vpc", [{ type: "aws:ec2/internetGateway:InternetGateway", inputs: { vpcId: "v1" } }, { type: "aws:ec2/internetGateway:InternetGateway", inputs: { vpcId: "v1" } }], [{ type: "aws:ec2/internetGateway:InternetGateway", inputs: { vpcId: "v1" } }, { type: "aws:ec2/internetGateway:InternetGateway", inputs: { vpcId: "v2" } }]],
  ["aws-tag-limits", [{ type: "aws:ec2/vpc:Vpc", inputs: { cidrBlock: "10.0.0.0/16", tags: { "aws:owner": "me" } } }], [{ type: "aws:ec2/vpc:Vpc", inputs: { cidrBlock: "10.0.0.0/16", tags: { owner: "me" } } }]],
  // Database (policies/rules/database.ts)
  ["rds-2-not-public", [{ type: DB, inputs: { ...goodDb, publiclyAccessible: true } }], [{ type: DB, inputs: goodDb }]],
  ["rds-3-encrypted", [{ type: DB, inputs: { ...goodDb, storageEncrypted: false } }], [{ type: DB, inputs: goodDb }]],
  ["rds-5-multi-az", [{ type: DB, inputs: { ...goodDb, multiAz: false, tags: { "flipstack:environment": "production" } } }], [{ type: DB, inputs: { ...goodDb, multiAz: false, tags: { "flipstack:environment": "staging" } } }]],
  ["rds-8-deletion-protection", [{ type: DB, inputs: { ...goodDb, deletionProtection: false, tags: { "flipstack:environment": "production" } } }], [{ type: DB, inputs: { ...goodDb, deletionProtection: false, tags: { "flipstack:environment": "staging" } } }]],
  ["rds-11-backups", [{ type: DB, inputs: { ...goodDb, backupRetentionPeriod: 1 } }], [{ type: DB, inputs: { ...goodDb, backupRetentionPeriod: 7 } }]],
  ["rds-13-auto-minor-upgrades", [{ type: DB, inputs: { ...goodDb, autoMinorVersionUpgrade: false } }], [{ type: DB, inputs: goodDb }]],
  ["rds-17-copy-tags-to-snapshots", [{ type: DB, inputs: { ...goodDb, copyTagsToSnapshot: false } }], [{ type: DB, inputs: goodDb }]],
  ["flipstack-database-private-subnets",
    [{ type: "aws:ec2/subnet:Subnet", id: "subnet-pub", inputs: { cidrBlock: "10.0.0.0/24", tags: { "flipstack:tier": "public" } } }, { type: "aws:rds/subnetGroup:SubnetGroup", inputs: { subnetIds: ["subnet-pub"] } }],
    [{ type: "aws:ec2/subnet:Subnet", id: "subnet-priv", inputs: { cidrBlock: "10.0.1.0/24", tags: { "flipstack:tier": "private" } } }, { type: "aws:rds/subnetGroup:SubnetGroup", inputs: { subnetIds: ["subnet-priv"] } }]],
  // Image repositories (policies/rules/images.ts)
  ["ecr-1-scan-on-push", [{ type: "aws:ecr/repository:Repository", inputs: { imageScanningConfiguration: { scanOnPush: false } } }], [{ type: "aws:ecr/repository:Repository", inputs: { imageScanningConfiguration: { scanOnPush: true } } }]],
  ["ecr-2-immutable-tags", [{ type: "aws:ecr/repository:Repository", inputs: { imageTagMutability: "MUTABLE" } }], [{ type: "aws:ecr/repository:Repository", inputs: { imageTagMutability: "IMMUTABLE" } }]],
  ["ecr-3-lifecycle-policy", [{ type: "aws:ecr/repository:Repository", inputs: { name: "api" } }], [{ type: "aws:ecr/repository:Repository", inputs: { name: "api" } }, { type: "aws:ecr/lifecyclePolicy:LifecyclePolicy", inputs: { repository: "api" } }]],
  ["flipstack-image-digest", [task({ image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:3f2c1ab" })], [task({ image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/api@sha256:${"a".repeat(64)}` })]],
  // Hardening (policies/rules/hardening.ts)
  ["flipstack-test-listener-narrow", [{ type: LISTENER, inputs: { port: 8443 } }, { type: INGRESS, inputs: { fromPort: 8443, cidrIpv4: "128.0.0.0/1" } }], [{ type: LISTENER, inputs: { port: 8443 } }, { type: INGRESS, inputs: { fromPort: 8443, cidrIpv4: "10.0.0.0/8" } }]],
  ["flipstack-no-credentials-in-values", [task({ environment: [{ name: "DATABASE_URL", value: "postgres://app:hunter2@db:5432/app" }] })], [task({ environment: [{ name: "DATABASE_HOST", value: "db.internal" }] })]],
  ["flipstack-no-credentials-in-values", [{ type: LT, inputs: { ...goodLt, userData: Buffer.from("export KEY=AKIAIOSFODNN7EXAMPLE").toString("base64") } }], [{ type: LT, inputs: { ...goodLt, userData: Buffer.from("echo hello").toString("base64") } }]],
  ["flipstack-production-vpn-protected", [{ type: "aws:ec2/customerGateway:CustomerGateway", inputs: { tags: { "flipstack:environment": "production" } } }], [{ type: "aws:ec2/customerGateway:CustomerGateway", protect: true, inputs: { tags: { "flipstack:environment": "production" } } }]],
  ["flipstack-production-log-retention", [{ type: "aws:cloudwatch/logGroup:LogGroup", retainOnDelete: true, inputs: { retentionInDays: 30, tags: { "flipstack:environment": "production" } } }], [{ type: "aws:cloudwatch/logGroup:LogGroup", retainOnDelete: true, inputs: { retentionInDays: 30, tags: { "flipstack:environment": "staging" } } }]],
  ["flipstack-confused-deputy", [{ type: "aws:iam/role:Role", inputs: { assumeRolePolicy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" }] }) } }], [{ type: "aws:iam/role:Role", inputs: { assumeRolePolicy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } }] }) } }]],
  ["flipstack-container-hardened", [task({})], [task({ user: "1000:1000", linuxParameters: { capabilities: { drop: ["ALL"] } } })]],
  ["flipstack-container-hardened", [task({ user: "0", linuxParameters: { capabilities: { drop: ["ALL"] } } })], [task({ user: "app", linuxParameters: { capabilities: { drop: ["ALL"] } } })]],
  ["flipstack-lb-egress-pinned", [{ type: LB, inputs: { securityGroups: ["sg-1"] } }, { type: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", inputs: { securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" } }], [{ type: LB, inputs: { securityGroups: ["sg-1"] } }, { type: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", inputs: { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 8080, toPort: 8080, cidrIpv4: "10.0.0.0/16" } }]],
];

describe("policy rules and AWS constraint checks", () => {
  it("cover every rule of the pack and every constraint", () => {
    const tested = new Set(cases.map(([rule]) => rule));
    const defined = [...allRules.map((r) => r.name), ...constraints.map((c) => c.rule), "flipstack-stateful-retained"];
    expect(defined.filter((rule) => !tested.has(rule))).toEqual([]);
  });

  it("name their AWS control in every rule description", () => {
    for (const rule of allRules) expect(rule.description).toMatch(/^(ELB|AutoScaling|EC2|ECS|ECR|RDS|S3|CloudWatch|Flipstack)[.\d/A-Za-z]*:/);
  });

  it.each(cases)("%s fires on a violating resource and not on a compliant one", async (rule, bad, good) => {
    const violations = await fired(rule, bad);
    expect(violations.length).toBeGreaterThan(0);
    expect(violations[0].message.length).toBeGreaterThan(10);
    expect(await fired(rule, good)).toEqual([]);
  });
});

describe("rules that find resources by role", () => {
  it("check a service's live slot whatever its children are named", async () => {
    const renamed = (role: string) => `storefront-${role}-v2`;
    expect(await fired("flipstack-live-slot-routed", service("blue", "tg-green", renamed))).toEqual([
      expect.objectContaining({ message: "service api: the production rule does not forward to the live slot blue" }),
    ]);
    expect(await fired("flipstack-live-slot-routed", service("green", "tg-green", renamed))).toEqual([]);
  });
});

describe("flipstack-instance-logs-shipped", () => {
  const messages = async (specs: Spec[]) => (await fired("flipstack-instance-logs-shipped", specs)).map((v) => [v.urn, v.message]);

  it("names the launch template of a group whose user data does not start the agent", async () => {
    expect(await messages(instanceGroup({ userData: "#!/bin/bash\nsystemctl start web\n" }))).toEqual([
      ["urn:lt", expect.stringMatching(/^instance group web-blue-1\.0: the user data does not start the CloudWatch agent/)],
    ]);
  });

  it("fails a group whose user data starts the agent with another group's config", async () => {
    expect(await messages(instanceGroup({ userData: "amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c ssm:/flipstack/other/cloudwatch-agent\n" }))).toHaveLength(1);
  });

  it("fails a group whose role may not write to its log group", async () => {
    expect(await messages(instanceGroup({ grants: [] }))).toEqual([["urn:lt", expect.stringContaining(`may not write to its log group ${LOG_GROUP}`)]]);
  });

  it.each([
    ["every log group", "*"],
    ["another service's log group", "arn:aws:logs:eu-west-1:123456789012:log-group:/flipstack/test/api-1:*"],
    ["a wildcard log group", "arn:aws:logs:eu-west-1:123456789012:log-group:/flipstack/test/*"],
    ["any region's log group of that name", `arn:aws:logs:*:123456789012:log-group:${LOG_GROUP}:*`],
  ])("fails a log-write grant on %s", async (_case, resource) => {
    expect(await messages(instanceGroup({ grants: [logGrant([LOG_GROUP_ARN, resource])] }))).toEqual([["urn:lt", expect.stringContaining(`may write logs to ${resource}; scope the grant to its log group`)]]);
  });

  it("fails a managed policy that writes to every log group", async () => {
    const arn = "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy";
    expect(await messages(instanceGroup({ attach: [arn, "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"] }))).toEqual([
      [expect.any(String), expect.stringContaining("CloudWatchAgentServerPolicy lets the instances write to every log group")],
    ]);
  });

  it("skips a group whose user data is not known yet (a real preview of a new group)", async () => {
    const specs = instanceGroup();
    delete specs[1].inputs!.userData;
    expect(await messages(specs)).toEqual([]);
  });

  it("passes every instance group of the shipped stacks, and fails them without the agent", async () => {
    const root = path.join(__dirname, "..", "..");
    const staging = await planStack({ cwd: root, stack: "staging" });
    expect((await evaluatePlan(staging)).filter((v) => v.rule === "flipstack-instance-logs-shipped")).toEqual([]);
    const stripped: Plan = { ...staging, resources: staging.resources.map((r) => (r.type === LT ? { ...r, inputs: { ...r.inputs, userData: Buffer.from("#!/bin/bash\n").toString("base64") } } : r)) };
    const violations = (await evaluatePlan(stripped)).filter((v) => v.rule === "flipstack-instance-logs-shipped");
    expect(violations.map((v) => v.urn.split("::").pop()).sort()).toEqual(["web-blue-2026.11.3-lt", "web-green-2026.11.4-lt"]);
    expect(violations.every((v) => v.severity === "mandatory")).toBe(true);
  }, 60_000);
});

describe("Flipstack's own stacks", () => {
  const root = path.join(__dirname, "..", "..");
  it.each(["production", "staging", "pr-42"])("%s has no mandatory violation", async (stack) => {
    const violations = await evaluatePlan(await planStack({ cwd: root, stack }));
    expect(violations.filter((v) => v.severity === "mandatory")).toEqual([]);
  });
});
