import * as path from "node:path";
import type { Violation } from "../../cli/plan/model";
import { planStack } from "../../cli/plan/planStack";
import { evaluatePlan } from "../../policies/harness";
import { createPrivateBucket } from "../../components/privateBucket";
import { LoadBalancer, Network } from "../../components";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { planOf } from "../harness";

const root = path.join(__dirname, "..", "..");
const evaluate = async (stack: string, sets: string[]) => evaluatePlan(await planStack({ cwd: root, stack, sets }));
const byRule = (violations: Violation[], rule: string) => violations.filter((v) => v.rule === rule);
const names = (violations: Violation[]) => violations.map((v) => v.urn.split("::").pop()).sort();

// Realistic mistakes in the shipped stacks' config that the config schema lets through but AWS rejects on create.
const mistakes: Array<[string, string, string[], string[], RegExp]> = [
  ["aws-instance-type", "staging", ["services.web.instanceType=t3.mega"], ["web-blue-2026.11.3-lt", "web-green-2026.11.4-lt"], /"t3.mega" is not one EC2 has; t3 comes as/],
  ["aws-target-group-success-codes", "staging", ["services.web.healthCheck.matcher=200-599"], ["web-blue", "web-green"], /matcher "200-599" must be HTTP codes 200-499/],
  ["flipstack-preview-priority-range", "staging", ["services.web.routing.priority=10010"], ["web-live"], /priority 10010 is in 10000-49999, the range pull-request previews use/],
  ["aws-listener-rule-condition-values", "production", ['services.web.routing.hostHeaders=["a.example.com","b.example.com","c.example.com","d.example.com"]'], ["web-live"], /`hostHeader` condition has 4 values; a condition allows 3/],
  ["aws-s3-lifecycle-transitions", "production", ["archive.glacierAfterDays=45"], ["archive-bucket"], /GLACIER_IR on day 45 is 15 days after STANDARD_IA; objects stay 30 days there first/],
];

describe("AWS constraints on the shipped stacks", () => {
  it.each(mistakes)("%s fails %s with %j, naming the resources", async (rule, stack, sets, resources, message) => {
    const violations = await evaluate(stack, sets);
    const fired = byRule(violations, rule);
    expect(names(fired)).toEqual(resources);
    expect(fired.every((v) => v.severity === "mandatory")).toBe(true);
    expect(fired[0].message).toMatch(message);
  }, 60_000);

  it("warns (advisory) when staging's load balancer needs more listener rules than the default quota", async () => {
    // 51 more services with both slots: two target groups, a production rule and a test-listener rule each.
    const sets = Array.from({ length: 51 }, (_, i) => `services.svc${i}=${JSON.stringify({
      kind: "containers",
      port: 8080,
      routing: { priority: 1000 + i, hostHeaders: [`svc${i}.staging.example.com`] },
      release: { live: "blue", blue: { version: "1a2b3c4", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/svc:1a2b3c4" }, green: { version: "5d6e7f8", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/svc:5d6e7f8" } },
    })}`);
    const fired = byRule(await evaluate("staging", sets), "aws-load-balancer-quotas");
    const advisory = (message: RegExp) => expect.objectContaining({ severity: "advisory", urn: expect.stringMatching(/LoadBalancer::edge-alb$/), message: expect.stringMatching(message) });
    expect(fired).toEqual([
      advisory(/^edge-alb: 106 listener rules \(besides the default rules\); the default quota is 100 per load balancer/),
      advisory(/^edge-alb: 106 target groups; the default quota is 100/),
    ]);
  }, 120_000);
});

describe("AWS constraints on components used directly", () => {
  it("aws-s3-lifecycle-transitions: a private bucket moving objects to Standard-IA before 30 days", async () => {
    const plan = await planOf(() => {
      const parent = new pulumi.ComponentResource("test:index:Parent", "logs");
      createPrivateBucket("logs", parent, { lifecycleRules: [{ id: "cheap", status: "Enabled", filter: {}, transitions: [{ days: 7, storageClass: "STANDARD_IA" }], expiration: { days: 5 } }] });
    });
    const fired = byRule(await evaluatePlan(plan), "aws-s3-lifecycle-transitions");
    expect(fired.map((v) => v.message)).toEqual([
      "logs: rule cheap: transition to STANDARD_IA after 7 days; S3 needs at least 30",
      "logs: rule cheap: expiration after 5 days is not later than the transition to STANDARD_IA (day 7)",
    ]);
  });

  it("aws-one-per-vpc: a second internet gateway for a Network's VPC", async () => {
    const plan = await planOf(() => {
      const network = new Network("shop", { cidr: "10.40.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"], nat: "single" });
      new aws.ec2.InternetGateway("extra", { vpcId: network.vpcId });
    });
    expect(names(byRule(await evaluatePlan(plan), "aws-one-per-vpc"))).toEqual(["extra", "shop-igw"]);
  });

  it("aws-target-group-vpc: a load balancer rule forwarding to a target group of another VPC", async () => {
    const plan = await planOf(() => {
      const network = new Network("shop", { cidr: "10.40.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"], nat: "single" });
      const other = new aws.ec2.Vpc("other", { cidrBlock: "10.41.0.0/16" });
      const lb = new LoadBalancer("shop", { vpcId: network.vpcId, subnetIds: network.publicSubnetIds, certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/7a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d", testListenerCidrs: ["203.0.113.0/24"] });
      const group = new aws.lb.TargetGroup("elsewhere", { namePrefix: "else", port: 80, protocol: "HTTP", vpcId: other.id });
      new aws.lb.ListenerRule("elsewhere", { listenerArn: lb.httpsListenerArn, priority: 5, actions: [{ type: "forward", targetGroupArn: group.arn }], conditions: [{ pathPattern: { values: ["/x/*"] } }] });
    });
    const fired = byRule(await evaluatePlan(plan), "aws-target-group-vpc");
    expect(names(fired)).toEqual(["elsewhere"]);
    expect(fired[0].message).toMatch(/forwards to elsewhere in vpc-\w+, but the load balancer shop-alb is in vpc-\w+/);
  });
});
