import {
  ImmutableInstanceGroup,
  validateImmutableInstanceGroupArgs,
  type ImmutableInstanceGroupArgs,
} from "../../components/immutableInstanceGroup";
import { ofType, one, planOf } from "../harness";

const LB_SG = "sg-0aaaaaaaaaaaaaaaa";
const TARGET_GROUP = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-blue/0123456789abcdef";
const NAME = "web-blue-2026.11.3";
const SSM_CORE = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";

const base: ImmutableInstanceGroupArgs = {
  serviceName: "web",
  color: "blue",
  release: { version: "2026.11.3", ami: "ami-0123456789abcdef0" },
  vpcId: "vpc-0123456789abcdef0",
  subnetIds: ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
  targetGroupArn: TARGET_GROUP,
  loadBalancerSecurityGroupId: LB_SG,
  port: 8080,
};

const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const ASG = "aws:autoscaling/group:Group";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const ROLE = "aws:iam/role:Role";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const PROFILE = "aws:iam/instanceProfile:InstanceProfile";

const plan = (args: Partial<ImmutableInstanceGroupArgs> = {}) =>
  planOf(() => {
    const group = new ImmutableInstanceGroup(NAME, { ...base, ...args });
    return {
      autoScalingGroupName: group.autoScalingGroupName,
      autoScalingGroupArn: group.autoScalingGroupArn,
      launchTemplateId: group.launchTemplateId,
      securityGroupId: group.securityGroupId,
      instanceRoleArn: group.instanceRoleArn,
    };
  });

type Inputs = Record<string, unknown>;
/** The role's generated name, read back from the exported ARN (the program never sets one). */
const roleNameOf = (outputs: Inputs) => String(outputs.instanceRoleArn).split("/").pop();
const launchTemplateOf = async (args: Partial<ImmutableInstanceGroupArgs> = {}) => one(await plan(args), LT, `${NAME}-lt`).inputs;

describe("ImmutableInstanceGroup", () => {
  describe("launch template", () => {
    it("pins the release's AMI and the instance type", async () => {
      expect(await launchTemplateOf()).toMatchObject({ imageId: "ami-0123456789abcdef0", instanceType: "t3.small", updateDefaultVersion: true });
      expect((await launchTemplateOf({ instanceType: "m7g.large" })).instanceType).toBe("m7g.large");
    });

    it("requires IMDSv2 tokens with a hop limit of 1 and serves instance tags", async () => {
      expect((await launchTemplateOf()).metadataOptions).toEqual({
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "enabled",
      });
    });

    it("gives the instances an encrypted gp3 root volume of the asked size, deleted with the instance", async () => {
      expect((await launchTemplateOf()).blockDeviceMappings).toEqual([
        { deviceName: "/dev/xvda", ebs: { volumeSize: 20, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
      ]);
      const [root] = (await launchTemplateOf({ rootVolumeSizeGiB: 50 })).blockDeviceMappings as Array<{ ebs: Inputs }>;
      expect(root.ebs.volumeSize).toBe(50);
    });

    it("launches without a public IP, in the instance security group only", async () => {
      const p = await plan();
      const interfaces = one(p, LT, `${NAME}-lt`).inputs.networkInterfaces as Inputs[];
      expect(interfaces).toHaveLength(1);
      expect(interfaces[0]).toMatchObject({ deviceIndex: 0, associatePublicIpAddress: "false", deleteOnTermination: "true" });
      expect(interfaces[0].securityGroups).toEqual([p.outputs.securityGroupId]);
      expect(one(p, LT, `${NAME}-lt`).inputs.vpcSecurityGroupIds).toBeUndefined();
    });

    it("has no SSH key pair and turns on detailed monitoring", async () => {
      const inputs = await launchTemplateOf();
      expect(inputs.keyName).toBeUndefined();
      expect(inputs.monitoring).toEqual({ enabled: true });
    });

    it("attaches the instance profile by ARN", async () => {
      const p = await plan();
      const profileArn = expect.stringMatching(new RegExp(`^arn:aws:iam::123456789012:instance-profile/${NAME}-instance-[0-9a-f]{26}$`));
      expect(one(p, LT, `${NAME}-lt`).inputs.iamInstanceProfile).toEqual({ arn: profileArn });
    });

    it("base64-encodes the user data, which decodes back to the script", async () => {
      const script = "#!/bin/bash\nset -euo pipefail\necho \"héllo\" > /etc/motd\n";
      const userData = (await launchTemplateOf({ userData: script })).userData;
      expect(userData).toMatch(/^[A-Za-z0-9+/]+=*$/);
      expect(Buffer.from(String(userData), "base64").toString("utf8")).toBe(script);
    });

    it("sends no user data when none is given", async () => {
      expect((await launchTemplateOf()).userData).toBeUndefined();
    });

    it("tags the instances and volumes it launches with service, color and release", async () => {
      const specs = (await launchTemplateOf({ tags: { team: "payments" } })).tagSpecifications as Array<{ resourceType: string; tags: Inputs }>;
      expect(specs.map((s) => s.resourceType).sort()).toEqual(["instance", "volume"]);
      for (const spec of specs) {
        expect(spec.tags).toEqual({ team: "payments", "flipstack:service": "web", "flipstack:color": "blue", "flipstack:release": "2026.11.3", Name: NAME });
      }
    });
  });

  describe("auto scaling group", () => {
    it("launches the latest template version into the private subnets", async () => {
      const p = await plan();
      const group = one(p, ASG, `${NAME}-asg`).inputs;
      expect(group.vpcZoneIdentifiers).toEqual(base.subnetIds);
      expect(group.launchTemplate).toEqual({ id: p.outputs.launchTemplateId, version: "1" });
      expect(p.outputs.launchTemplateId).toMatch(/^lt-0[0-9a-f]{16}$/);
    });

    it("registers with the slot's target group and replaces instances the load balancer finds unhealthy", async () => {
      const group = one(await plan({ healthCheckGracePeriodSeconds: 90 }), ASG, `${NAME}-asg`).inputs;
      expect(group).toMatchObject({ targetGroupArns: [TARGET_GROUP], healthCheckType: "ELB", healthCheckGracePeriod: 90 });
    });

    it("waits until the desired number of instances are healthy behind the load balancer", async () => {
      const group = one(await plan({ capacity: { min: 1, desired: 3, max: 6 } }), ASG, `${NAME}-asg`).inputs;
      expect(group).toMatchObject({ minSize: 1, desiredCapacity: 3, maxSize: 6, waitForElbCapacity: 3, waitForCapacityTimeout: "15m" });
    });

    it("defaults to two instances, at most four, and a 60 second grace period", async () => {
      const group = one(await plan(), ASG, `${NAME}-asg`).inputs;
      expect(group).toMatchObject({ minSize: 2, desiredCapacity: 2, maxSize: 4, waitForElbCapacity: 2, healthCheckGracePeriod: 60 });
    });

    it("collects group metrics for in-service and desired capacity", async () => {
      const metrics = one(await plan(), ASG, `${NAME}-asg`).inputs.enabledMetrics;
      expect(metrics).toEqual(expect.arrayContaining(["GroupInServiceInstances", "GroupDesiredCapacity"]));
    });

    it("propagates service, color, release, Name and caller tags to its instances", async () => {
      const tags = one(await plan({ tags: { team: "payments" } }), ASG, `${NAME}-asg`).inputs.tags as Array<{ key: string; value: string; propagateAtLaunch: boolean }>;
      expect(Object.fromEntries(tags.map((t) => [t.key, t.value]))).toEqual({
        team: "payments",
        "flipstack:service": "web",
        "flipstack:color": "blue",
        "flipstack:release": "2026.11.3",
        Name: NAME,
      });
      expect(tags.every((t) => t.propagateAtLaunch)).toBe(true);
    });

    it("keeps its own release tags when the caller passes the same keys", async () => {
      const tags = one(await plan({ tags: { "flipstack:release": "1.0.0" } }), ASG, `${NAME}-asg`).inputs.tags as Array<{ key: string; value: string }>;
      expect(tags.filter((t) => t.key === "flipstack:release")).toEqual([expect.objectContaining({ value: "2026.11.3" })]);
    });

    it("does not refresh instances in place", async () => {
      expect(one(await plan(), ASG, `${NAME}-asg`).inputs.instanceRefresh).toBeUndefined();
    });

    it("starts only after its security group rules and SSM permission exist", async () => {
      const p = await plan();
      expect(one(p, ASG, `${NAME}-asg`).options.dependsOn.sort()).toEqual([
        one(p, INGRESS, `${NAME}-from-lb`).urn,
        one(p, EGRESS, `${NAME}-https-out`).urn,
        one(p, ATTACHMENT, `${NAME}-ssm`).urn,
      ].sort());
    });
  });

  describe("physical names", () => {
    it.each([LT, ASG])("names the %s by prefix so the next release can be created before this one is deleted", async (type) => {
      const inputs = ofType(await plan(), type)[0].inputs;
      expect(inputs.namePrefix).toBe(`${NAME}-`);
      expect(inputs.name).toBeUndefined();
    });

    it("exports the group's generated name and ARN", async () => {
      const { outputs } = await plan();
      expect(outputs.autoScalingGroupName).toMatch(/^web-blue-2026\.11\.3-[0-9a-f]{26}$/);
      expect(outputs.autoScalingGroupArn).toMatch(/^arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:.+:autoScalingGroupName\/web-blue-2026\.11\.3-/);
      expect(outputs.securityGroupId).toMatch(/^sg-0[0-9a-f]{16}$/);
      expect(outputs.instanceRoleArn).toMatch(/^arn:aws:iam::123456789012:role\/web-blue-2026\.11\.3-instance-[0-9a-f]{26}$/);
    });
  });

  describe("security group", () => {
    it("admits only the load balancer's security group, only on the application port", async () => {
      const p = await plan();
      const ingress = ofType(p, INGRESS);
      expect(ingress).toHaveLength(1);
      expect(ingress[0].inputs).toMatchObject({
        securityGroupId: p.outputs.securityGroupId,
        ipProtocol: "tcp",
        fromPort: 8080,
        toPort: 8080,
        referencedSecurityGroupId: LB_SG,
      });
      expect(ingress[0].inputs.cidrIpv4).toBeUndefined();
      expect(ingress[0].inputs.cidrIpv6).toBeUndefined();
    });

    it("allows HTTPS out and nothing else", async () => {
      const p = await plan();
      const egress = ofType(p, EGRESS);
      expect(egress).toHaveLength(1);
      expect(egress[0].inputs).toMatchObject({ securityGroupId: p.outputs.securityGroupId, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" });
    });

    it("has no inline rules and lives in the given VPC", async () => {
      const sg = one(await plan(), SG, `${NAME}-sg`).inputs;
      expect(sg.vpcId).toBe(base.vpcId);
      expect(sg.ingress).toBeUndefined();
      expect(sg.egress).toBeUndefined();
    });
  });

  describe("instance role", () => {
    it("is trusted by EC2 alone", async () => {
      const trust = JSON.parse(String(one(await plan(), ROLE, `${NAME}-instance`).inputs.assumeRolePolicy));
      expect(trust.Statement).toEqual([{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }]);
    });

    it("carries the SSM managed instance policy and nothing else", async () => {
      const p = await plan();
      const role = one(p, ROLE, `${NAME}-instance`);
      const attachments = ofType(p, ATTACHMENT);
      expect(attachments).toHaveLength(1);
      expect(attachments[0].inputs).toEqual({ role: roleNameOf(p.outputs), policyArn: SSM_CORE });
      expect(ofType(p, "aws:iam/rolePolicy:RolePolicy")).toHaveLength(0);
      expect(role.inputs.inlinePolicies).toBeUndefined();
      expect(role.inputs.managedPolicyArns).toBeUndefined();
    });

    it("reaches the instances through one instance profile", async () => {
      const p = await plan();
      const profiles = ofType(p, PROFILE);
      expect(profiles).toHaveLength(1);
      expect(profiles[0].inputs.role).toBe(roleNameOf(p.outputs));
    });
  });

  describe("releases", () => {
    it("puts the release id in every child's URN, under the component", async () => {
      const p = await plan();
      const component = one(p, "flipstack:compute:ImmutableInstanceGroup", NAME);
      const children = p.resources.filter((r) => r.parent === component.urn);
      expect(children.map((r) => r.type).sort()).toEqual([ASG, LT, SG, EGRESS, INGRESS, ROLE, ATTACHMENT, PROFILE].sort());
      for (const child of children) expect(child.urn).toContain("2026.11.3");
    });

    it("builds the next release beside the current one without a collision", async () => {
      const p = await planOf(() => {
        new ImmutableInstanceGroup("web-blue-2026.11.3", base);
        new ImmutableInstanceGroup("web-blue-2026.11.4", { ...base, release: { version: "2026.11.4", ami: "ami-0fedcba9876543210" } });
      });
      const urns = p.resources.map((r) => r.urn);
      expect(new Set(urns).size).toBe(urns.length);
      const templates = ofType(p, LT);
      expect(templates.map((t) => t.inputs.imageId).sort()).toEqual(["ami-0123456789abcdef0", "ami-0fedcba9876543210"]);
      expect(templates.map((t) => t.inputs.namePrefix).sort()).toEqual(["web-blue-2026.11.3-", "web-blue-2026.11.4-"]);
      const groupUrns = ofType(p, ASG).map((g) => g.urn);
      expect(groupUrns).toHaveLength(2);
      expect(groupUrns[0]).not.toBe(groupUrns[1]);
    });
  });

  describe("validation", () => {
    it("accepts the defaults", () => {
      expect(validateImmutableInstanceGroupArgs(base)).toEqual([]);
    });

    it.each<[string, Partial<ImmutableInstanceGroupArgs>, string]>([
      ["an AMI id that is not one", { release: { version: "2026.11.3", ami: "ami-123" } }, "is not an AMI id"],
      ["an AMI id in capitals", { release: { version: "2026.11.3", ami: "ami-0123456789ABCDEF0" } }, "is not an AMI id"],
      ["an empty version", { release: { version: " ", ami: "ami-0123456789abcdef0" } }, "`release.version` is empty"],
      ["min above desired", { capacity: { min: 3, desired: 2, max: 4 } }, "use min ≤ desired ≤ max"],
      ["desired above max", { capacity: { min: 1, desired: 5, max: 4 } }, "use min ≤ desired ≤ max"],
      ["desired 0", { capacity: { min: 0, desired: 0, max: 2 } }, "use at least 1"],
      ["a fractional capacity", { capacity: { min: 1, desired: 1.5, max: 2 } }, "must be whole numbers"],
      ["port 0", { port: 0 }, "is not a TCP port"],
      ["port 65536", { port: 65536 }, "is not a TCP port"],
      ["an instance type without a size", { instanceType: "t3" }, "is not an EC2 instance type"],
      ["a root volume of 0 GiB", { rootVolumeSizeGiB: 0 }, "`rootVolumeSizeGiB` 0"],
      ["a negative grace period", { healthCheckGracePeriodSeconds: -1 }, "`healthCheckGracePeriodSeconds` -1"],
      ["user data over 16 KiB", { userData: "x".repeat(16 * 1024 + 1) }, "EC2 accepts 16384"],
      ["a tag key with a slash", { tags: { "kubernetes.io/cluster": "owned" } }, "cannot be served through instance metadata"],
      ["a tag key in the aws: namespace", { tags: { "aws:owner": "me" } }, "cannot be served through instance metadata"],
    ])("rejects %s before creating anything", async (_case, args, message) => {
      await expect(plan(args)).rejects.toThrow(message);
    });

    it("names the component in the error and registers nothing of it", async () => {
      let error: unknown;
      const p = await planOf(() => {
        try {
          new ImmutableInstanceGroup(NAME, { ...base, port: 0 });
        } catch (e) {
          error = e;
        }
      });
      expect(String(error)).toContain(`ImmutableInstanceGroup "${NAME}": The \`port\` 0`);
      expect(p.resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).toEqual([]);
    });
  });
});
