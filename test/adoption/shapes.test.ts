import * as aws from "@pulumi/aws";
import { BlueGreenService, ContainerCluster, LoadBalancer } from "../../components";
import { ofType, one, planOf } from "../harness";

describe("ordinary Pulumi shapes as args", () => {
  // The array of outputs is what `subnets.map((s) => s.id)` gives; `npm test` type-checks this file, so the
  // call compiling is half the test.
  it("takes id lists as an array of outputs", async () => {
    const plan = await planOf(() => {
      const vpc = new aws.ec2.Vpc("own", { cidrBlock: "10.50.0.0/16" });
      const subnets = ["a", "b"].map((zone, i) => new aws.ec2.Subnet(`own-${zone}`, { vpcId: vpc.id, cidrBlock: `10.50.${i}.0/24`, availabilityZone: `eu-west-1${zone}` }));
      const subnetIds = subnets.map((s) => s.id);
      const lb = new LoadBalancer("shop", { vpcId: vpc.id, subnetIds, certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/x", testListenerCidrs: ["10.0.0.0/8"] });
      const cluster = new ContainerCluster("shop", { vpcId: vpc.id, namespaceName: "shop.internal" });
      new BlueGreenService("web", {
        serviceName: "web", vpcId: vpc.id, subnetIds, productionListenerArn: lb.httpsListenerArn, testListenerArn: lb.testListenerArn,
        loadBalancerSecurityGroupId: lb.securityGroupId, port: 3000, routing: { priority: 10, pathPatterns: ["/*"] },
        release: { live: "blue", blue: { version: "1", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1" } },
        compute: { kind: "containers", clusterArn: cluster.clusterArn },
      });
    });
    const ids = ofType(plan, "aws:ec2/subnet:Subnet").map((s) => s.id);
    expect(ids).toHaveLength(2);
    expect(one(plan, "aws:lb/loadBalancer:LoadBalancer", "shop-alb").inputs.subnets).toEqual(ids);
    const service = ofType(plan, "aws:ecs/service:Service")[0];
    expect((service.inputs.networkConfiguration as { subnets: string[] }).subnets).toEqual(ids);
  });
});
