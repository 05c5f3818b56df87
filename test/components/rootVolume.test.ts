import type * as pulumi from "@pulumi/pulumi";
import { ImmutableInstanceGroup } from "../../components/immutableInstanceGroup";
import { one, planOf } from "../harness";

// Two AMIs as AWS describes them: Amazon Linux boots from /dev/xvda, Ubuntu from /dev/sda1.
const ROOT_DEVICES: Record<string, string> = { "ami-0a1b2c3d4e5f67890": "/dev/xvda", "ami-0f9e8d7c6b5a43210": "/dev/sda1" };
const asked: unknown[] = [];

jest.mock("../../cli/plan/awsMocks", () => {
  const actual = jest.requireActual("../../cli/plan/awsMocks");
  return {
    ...actual,
    awsMocks: (options: unknown) => {
      const mocks = actual.awsMocks(options) as pulumi.runtime.Mocks;
      return {
        ...mocks,
        call: (args: pulumi.runtime.MockCallArgs) => {
          const answer = mocks.call(args);
          if (args.token !== "aws:ec2/getAmi:getAmi") return answer;
          asked.push(args.inputs);
          return { ...answer, rootDeviceName: ROOT_DEVICES[(answer as { imageId: string }).imageId] };
        },
      };
    },
  };
});

const group = (ami: string) => planOf(() => new ImmutableInstanceGroup("web-blue-1", {
  serviceName: "web",
  color: "blue",
  release: { version: "1", ami },
  vpcId: "vpc-0123456789abcdef0",
  subnetIds: ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
  targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-blue/0123456789abcdef",
  loadBalancerSecurityGroupId: "sg-0aaaaaaaaaaaaaaaa",
  port: 8080,
}));

describe("the launch template encrypts the volume the instance boots from", () => {
  it.each(Object.entries(ROOT_DEVICES))("%s: maps its root device %s, encrypted, and no other", async (ami, device) => {
    asked.length = 0;
    const template = one(await group(ami), "aws:ec2/launchTemplate:LaunchTemplate", "web-blue-1-lt");
    expect(template.inputs.blockDeviceMappings).toEqual([{ deviceName: device, ebs: expect.objectContaining({ encrypted: "true", volumeType: "gp3" }) }]);
    // Looked up by id, deprecated AMIs included: a pinned release keeps booting after its AMI is deprecated.
    expect(asked).toEqual([expect.objectContaining({ filters: [{ name: "image-id", values: [ami] }], includeDeprecated: true })]);
  });
});
