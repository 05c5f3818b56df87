import * as path from "node:path";
import type { Plan } from "../../cli/plan/model";
import { planStack } from "../../cli/plan/planStack";
import { ContainerService, type ContainerServiceArgs, validateContainerServiceArgs } from "../../components/containerService";
import { LoadBalancer } from "../../components/loadBalancer";
import { evaluatePlan } from "../../policies/harness";
import { ofType, one, planOf } from "../harness";

/** The hardening the plan builds, and the rules that say when a program does not, on real programs. */
const root = path.join(__dirname, "..", "..");
const production = (...sets: string[]) => planStack({ cwd: root, stack: "production", sets });
const rules = async (plan: Plan, rule: string) => (await evaluatePlan(plan)).filter((v) => v.rule === rule);
const service: ContainerServiceArgs = {
  serviceName: "api",
  color: "green",
  release: { version: "3f2c1ab", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:3f2c1ab" },
  clusterArn: "arn:aws:ecs:eu-west-1:123456789012:cluster/staging",
  vpcId: "vpc-0123456789abcdef0",
  subnetIds: ["subnet-0aaaaaaaaaaaaaaaa"],
  targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/apig/0123456789abcdef",
  loadBalancerSecurityGroupId: "sg-0123456789abcdef0",
  port: 8080,
};
const policy = (plan: Plan, type: string, name: string, field: "policy" | "assumeRolePolicy") => JSON.parse(String(one(plan, type, name).inputs[field])) as { Statement: Array<Record<string, unknown>> };

describe("production as planned", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await production();
  });

  it("limits the flow-log role and the S3 access-log bucket to this account (confused deputy)", async () => {
    const trust = policy(plan, "aws:iam/role:Role", "network-flow-logs", "assumeRolePolicy").Statement[0];
    expect(trust.Condition).toEqual({ StringEquals: { "aws:SourceAccount": "123456789012" }, ArnLike: { "aws:SourceArn": "arn:aws:ec2:eu-west-1:123456789012:vpc-flow-log/*" } });
    const logging = policy(plan, "aws:s3/bucketPolicy:BucketPolicy", "archive-access-logs", "policy").Statement.find((s) => s.Sid === "AllowServerAccessLogs")!;
    expect(logging.Condition).toEqual({ StringEquals: { "aws:SourceAccount": "123456789012" } });
    expect(await rules(plan, "flipstack-confused-deputy")).toEqual([]);
  });

  it("lets the load balancer write access logs only under AWSLogs/<account>/", () => {
    const statement = policy(plan, "aws:s3/bucketPolicy:BucketPolicy", "edge-access-logs", "policy").Statement.find((s) => s.Sid === "AllowLoadBalancerAccessLogs")!;
    expect(statement.Resource).toMatch(/^arn:aws:s3:::.+\/AWSLogs\/123456789012\/\*$/);
  });

  it("sends load balancer traffic only to the services' port inside the VPC", async () => {
    const lbGroups = ofType(plan, "aws:lb/loadBalancer:LoadBalancer").flatMap((lb) => lb.inputs.securityGroups as string[]);
    const egress = ofType(plan, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((r) => lbGroups.includes(String(r.inputs.securityGroupId)));
    expect(egress.map((r) => [r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4])).toEqual([["tcp", 8080, 8080, "10.10.0.0/16"]]);
    expect(await rules(plan, "flipstack-lb-egress-pinned")).toEqual([]);
  });

  it("drops the containers' Linux capabilities, and says that api runs as the image's user", async () => {
    const task = ofType(plan, "aws:ecs/taskDefinition:TaskDefinition")[0];
    const [container] = JSON.parse(String(task.inputs.containerDefinitions)) as Array<Record<string, unknown> & { linuxParameters?: { capabilities?: unknown } }>;
    expect(container.linuxParameters?.capabilities).toEqual({ drop: ["ALL"] });
    expect((await rules(plan, "flipstack-container-hardened")).map((v) => v.message)).toEqual([expect.stringContaining("container api runs as the image's user")]);
  });
});

describe("production changed", () => {
  it("runs api as the configured non-root user, and the rule is satisfied", async () => {
    const plan = await production("services.api.user=1000:1000");
    const [container] = JSON.parse(String(ofType(plan, "aws:ecs/taskDefinition:TaskDefinition")[0].inputs.containerDefinitions)) as Array<Record<string, unknown>>;
    expect(container.user).toBe("1000:1000");
    expect(await rules(plan, "flipstack-container-hardened")).toEqual([]);
  });

  it("flags an acknowledged unprotected VPN on both the customer gateway and the connection", async () => {
    const plan = await production("vpn.protect=false", 'acknowledge["vpn.protect"]=office moves in March; ops (J. Doe) accepts');
    const flagged = await rules(plan, "flipstack-production-vpn-protected");
    expect(flagged.map((v) => v.urn.split("::").pop()).sort()).toEqual(["office-vpn-cgw", "office-vpn-connection"]);
    expect(flagged.every((v) => v.severity === "advisory")).toBe(true);
  });

  it("flags acknowledged 30-day logs in production", async () => {
    const plan = await production("logs.retentionDays=30", 'acknowledge["logs.retentionDays"]=cost review 2026-11, compliance signed off');
    expect((await rules(plan, "flipstack-production-log-retention")).map((v) => v.urn.split("::").pop()).sort()).toEqual(["logs-api", "logs-web"]);
  });
});

describe("programs that use the components directly (no stack config to refuse them)", () => {

  it("refuses a password in a container's environment (mandatory)", async () => {
    const plan = await planOf(() => new ContainerService("api-green", { ...service, environment: { DATABASE_URL: "postgres://app:hunter2@db.internal/app" } }));
    expect(await rules(plan, "flipstack-no-credentials-in-values")).toEqual([expect.objectContaining({ severity: "mandatory", message: expect.stringContaining("a URL with a password in it in DATABASE_URL") })]);
  });

  it("refuses a test listener open to half the internet (mandatory), and flags egress not pinned to targets", async () => {
    const plan = await planOf(() => new LoadBalancer("edge", {
      vpcId: "vpc-0123456789abcdef0",
      subnetIds: ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
      certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/4f1c2a9e-7d3b-4e8a-9c51-2b6d8e0f3a17",
      testListenerCidrs: ["128.0.0.0/1"],
    }));
    expect(await rules(plan, "flipstack-test-listener-narrow")).toEqual([expect.objectContaining({ severity: "mandatory", message: expect.stringContaining("128.0.0.0/1, 1/2 of the internet") })]);
    expect(await rules(plan, "flipstack-lb-egress-pinned")).toHaveLength(1);
  });
});

describe("the S3 gateway endpoint", () => {
  it("writes only to this account's buckets and reads AWS-owned ones", async () => {
    const plan = await production();
    const endpoint = ofType(plan, "aws:ec2/vpcEndpoint:VpcEndpoint").find((e) => e.inputs.vpcEndpointType === "Gateway")!;
    const statements = (JSON.parse(String(endpoint.inputs.policy)) as { Statement: Array<Record<string, unknown>> }).Statement;
    expect(statements).toEqual([
      expect.objectContaining({ Action: "s3:*", Condition: { StringEquals: { "aws:ResourceAccount": "123456789012" } } }),
      expect.objectContaining({ Action: ["s3:GetObject", "s3:GetBucketLocation", "s3:ListBucket"], Resource: "*" }),
    ]);
    expect(JSON.stringify(statements[1])).not.toContain("Put");
  });

  it("refuses a root container user in the component", () => {
    expect(validateContainerServiceArgs({ ...service, user: "root" })).toEqual([expect.stringContaining("The `user` \"root\" must be a non-root user")]);
    expect(validateContainerServiceArgs({ ...service, user: "0:0" })).toHaveLength(1);
    expect(validateContainerServiceArgs({ ...service, user: "1000:1000" })).toEqual([]);
  });
});
