import * as pulumi from "@pulumi/pulumi";
import { BlueGreenService } from "../../components";
import { renderPlan } from "../../cli/render";
import { planProgram } from "../../cli/testing";

// Two teams' components in one program, each with a service called "storefront".
class Shop extends pulumi.ComponentResource {
  constructor(name: string, priority: number, version: string) {
    super("acme:index:Shop", name);
    new BlueGreenService(`${name}-storefront`, {
      serviceName: "storefront",
      vpcId: "vpc-0a1b2c3d4e5f60718",
      subnetIds: ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"],
      productionListenerArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2",
      testListenerArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/50dc6c495c0c9188/0467ef3c8400ae65",
      loadBalancerSecurityGroupId: "sg-0a1b2c3d4e5f60718",
      loadBalancerArnSuffix: "app/shop/50dc6c495c0c9188",
      port: 3000,
      routing: { priority, pathPatterns: [`/${name}/*`] },
      release: { live: "blue", blue: { version, image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:${version}` } },
      compute: { kind: "containers", clusterArn: "arn:aws:ecs:eu-west-1:123456789012:cluster/shop" },
    }, { parent: this });
  }
}

describe("release status of a consumer program", () => {
  it("tells two services of the same name apart by their component path, in the tree and the pull-request comment", async () => {
    const plan = await planProgram(() => {
      new Shop("eu", 10, "5e6f7a8");
      new Shop("us", 20, "9c8b7a6");
    }, { config: { "aws:region": "eu-west-1" }, policy: false });
    const tree = renderPlan(plan, "tree");
    expect(tree).toMatch(/storefront \(eu\/eu-storefront\)\s+live blue 5e6f7a8/);
    expect(tree).toMatch(/storefront \(us\/us-storefront\)\s+live blue 9c8b7a6/);
    expect(renderPlan(plan, "markdown")).toContain("| storefront (us/us-storefront) | blue `9c8b7a6` | none |");
  });

  it("keeps the plain name when it is unique", async () => {
    const plan = await planProgram(() => new Shop("eu", 10, "5e6f7a8"), { config: { "aws:region": "eu-west-1" }, policy: false });
    expect(renderPlan(plan, "tree")).toMatch(/Releases:\n\s+storefront\s+live blue 5e6f7a8/);
  });
});
