import * as aws from "@pulumi/aws";
import { LoadBalancer, Network } from "../../components";
import { ofType, planOf } from "../harness";

describe("components reused in one stack and with explicit providers", () => {
  it("two networks and two load balancers share a stack without colliding", async () => {
    const p = await planOf(() => {
      for (const name of ["shop", "admin"]) {
        const net = new Network(name, { cidr: name === "shop" ? "10.1.0.0/16" : "10.2.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"] });
        new LoadBalancer(name, {
          vpcId: net.vpcId,
          subnetIds: net.publicSubnetIds,
          certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/7a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
          testListenerCidrs: ["203.0.113.0/24"],
        });
      }
    });
    const urns = p.resources.map((r) => r.urn);
    expect(new Set(urns).size).toBe(urns.length);
    expect(ofType(p, "aws:lb/loadBalancer:LoadBalancer")).toHaveLength(2);
  });

  it("children of a component built with a provider for another region use that provider and region", async () => {
    const p = await planOf(() => {
      const virginia = new aws.Provider("virginia", { region: "us-east-1" });
      new Network("dr", { cidr: "10.9.0.0/16", availabilityZones: ["us-east-1a", "us-east-1b"] }, { providers: { aws: virginia } });
    });
    const provider = p.resources.find((r) => r.type === "pulumi:providers:aws" && r.name === "virginia")!;
    const custom = p.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
    expect(custom.length).toBeGreaterThan(10);
    for (const resource of custom) expect(resource.options.provider).toMatch(new RegExp(`^${provider.urn.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}::`));
    const endpoint = custom.find((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint")!;
    expect(endpoint.inputs.serviceName).toBe("com.amazonaws.us-east-1.s3");
  });
});
