import * as path from "node:path";
import { planStack } from "../../cli/plan/planStack";
import { evaluatePlan } from "../../policies/harness";
import { LoadBalancer } from "../../components";
import { one, planOf } from "../harness";

const root = path.join(__dirname, "..", "..");
const STATEFUL = ["aws:s3/bucket:Bucket", "aws:cloudwatch/logGroup:LogGroup"];

describe("everything stateful is kept", () => {
  it.each([["production", true], ["staging", false]])("%s: every bucket and log group is retainOnDelete, and protected only in production", async (stack, protect) => {
    const plan = await planStack({ cwd: root, stack });
    const stateful = plan.resources.filter((r) => STATEFUL.includes(r.type));
    expect(stateful.map((r) => r.name)).toEqual(expect.arrayContaining(["edge-access-logs", "archive-bucket", "archive-access-logs"]));
    expect(stateful.filter((r) => !r.options.retainOnDelete || r.options.protect !== protect).map((r) => r.name)).toEqual([]);
  });

  it("the load balancer's access-log bucket is kept, and protected when asked", async () => {
    const build = (protectAccessLogs?: boolean) => () => new LoadBalancer("edge", { vpcId: "vpc-1", subnetIds: ["subnet-1", "subnet-2"], certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/x", testListenerCidrs: ["203.0.113.0/24"], protectAccessLogs });
    expect(one(await planOf(build()), "aws:s3/bucket:Bucket", "edge-access-logs").options).toMatchObject({ retainOnDelete: true, protect: false });
    expect(one(await planOf(build(true)), "aws:s3/bucket:Bucket", "edge-access-logs").options).toMatchObject({ retainOnDelete: true, protect: true });
  });

  it("the stateful rule names any bucket that would be deleted with the stack, not only the archive", async () => {
    const plan = await planOf(() => new LoadBalancer("edge", { vpcId: "vpc-1", subnetIds: ["subnet-1", "subnet-2"], certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/x", testListenerCidrs: ["203.0.113.0/24"] }));
    const bucket = one(plan, "aws:s3/bucket:Bucket", "edge-access-logs");
    bucket.options.retainOnDelete = false;
    const violations = (await evaluatePlan(plan)).filter((v) => v.rule === "flipstack-stateful-retained");
    expect(violations).toEqual([expect.objectContaining({ urn: bucket.urn, message: "edge-access-logs holds state and must be retainOnDelete" })]);
  });
});
