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
const PARAMETER = "aws:ssm/parameter:Parameter";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

/** The parts of a MIME multi-part user data: each part's content type and body, as cloud-init reads them. */
function mimeParts(text: string): Array<{ type: string; body: string }> {
  const boundary = /boundary="([^"]+)"/.exec(text)?.[1];
  if (!boundary) throw new Error(`not a multi-part archive: ${text.slice(0, 80)}`);
  const sections = text.split(`\n--${boundary}`);
  return sections.slice(1, -1).map((section) => {
    const [headers, ...body] = section.split("\n\n");
    return { type: /Content-Type: ([^;\n]+)/.exec(headers)?.[1] ?? "", body: body.join("\n\n") };
  });
}

const plan = (args: Partial<ImmutableInstanceGroupArgs> = {}) =>
  planOf(() => {
    const group = new ImmutableInstanceGroup(NAME, { ...base, ...args });
    return {
      autoScalingGroupName: group.autoScalingGroupName,
      autoScalingGroupArn: group.autoScalingGroupArn,
      launchTemplateId: group.launchTemplateId,
      securityGroupId: group.securityGroupId,
      instanceRoleArn: group.instanceRoleArn,
      logGroupName: group.logGroupName,
      logAgentParameterName: group.logAgentParameterName,
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

    it("base64-encodes the user data; the caller's script is its last part, byte for byte", async () => {
      const script = "#!/bin/bash\nset -euo pipefail\necho \"héllo\" > /etc/motd\n";
      const userData = (await launchTemplateOf({ userData: script })).userData;
      expect(userData).toMatch(/^[A-Za-z0-9+/]+=*$/);
      const parts = mimeParts(Buffer.from(String(userData), "base64").toString("utf8"));
      expect(parts.map((part) => part.type)).toEqual(["text/x-shellscript", "text/plain"]);
      expect(parts[1].body).toBe(script);
    });

    it("sends only the log agent's boot script when no user data is given", async () => {
      const parts = mimeParts(Buffer.from(String((await launchTemplateOf()).userData), "base64").toString("utf8"));
      expect(parts).toHaveLength(1);
      expect(parts[0].body).toContain("amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c ssm:");
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

    it("starts only after its security group rules, SSM permission, log agent config and log policy exist", async () => {
      const p = await plan();
      expect(one(p, ASG, `${NAME}-asg`).options.dependsOn.sort()).toEqual([
        one(p, INGRESS, `${NAME}-from-lb`).urn,
        one(p, EGRESS, `${NAME}-https-out`).urn,
        one(p, ATTACHMENT, `${NAME}-ssm`).urn,
        one(p, PARAMETER, `${NAME}-log-agent`).urn,
        one(p, ROLE_POLICY, `${NAME}-logs`).urn,
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

    it("carries the SSM managed instance policy and, inline, its log policy only", async () => {
      const p = await plan();
      const role = one(p, ROLE, `${NAME}-instance`);
      const attachments = ofType(p, ATTACHMENT);
      expect(attachments).toHaveLength(1);
      expect(attachments[0].inputs).toEqual({ role: roleNameOf(p.outputs), policyArn: SSM_CORE });
      expect(ofType(p, ROLE_POLICY).map((r) => r.name)).toEqual([`${NAME}-logs`]);
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

  describe("logs shipped off the box", () => {
    const CENTRAL = "/flipstack/production/web-0123456789abcdef0123456789";
    const CENTRAL_ARN = `arn:aws:logs:eu-west-1:123456789012:log-group:${CENTRAL}`;
    const PARAMETER_NAME = `${CENTRAL}/blue/2026.11.3/cloudwatch-agent`;
    const central = { logGroup: { name: CENTRAL, arn: CENTRAL_ARN } };
    type CollectEntry = { file_path: string; log_group_name: string; log_stream_name: string };
    const collected = (parameter: { inputs: Inputs }): CollectEntry[] =>
      JSON.parse(String(parameter.inputs.insecureValue)).logs.logs_collected.files.collect_list;

    it("keeps the agent config in one Standard SSM parameter beside the central log group", async () => {
      const parameters = ofType(await plan(central), PARAMETER);
      expect(parameters).toHaveLength(1);
      expect(parameters[0].inputs).toMatchObject({ name: PARAMETER_NAME, type: "String", tier: "Standard" });
      expect(parameters[0].inputs.value).toBeUndefined();
    });

    it("sends the application log, system log and boot output to the central group, in streams named by release and instance", async () => {
      expect(collected(one(await plan(central), PARAMETER, `${NAME}-log-agent`))).toEqual([
        { file_path: "/var/log/web/*.log", log_group_name: CENTRAL, log_stream_name: "2026.11.3/{instance_id}/app" },
        { file_path: "/var/log/messages", log_group_name: CENTRAL, log_stream_name: "2026.11.3/{instance_id}/system" },
        { file_path: "/var/log/cloud-init-output.log", log_group_name: CENTRAL, log_stream_name: "2026.11.3/{instance_id}/cloud-init" },
      ]);
      const [app] = collected(one(await plan({ ...central, applicationLogPath: "/srv/web/logs/current.log" }), PARAMETER, `${NAME}-log-agent`));
      expect(app.file_path).toBe("/srv/web/logs/current.log");
    });

    it("lets the role write to that log group only, and read that one parameter", async () => {
      const p = await plan(central);
      const policy = one(p, ROLE_POLICY, `${NAME}-logs`);
      expect(policy.inputs.role).toBe(roleNameOf(p.outputs));
      expect(JSON.parse(String(policy.inputs.policy)).Statement).toEqual([
        expect.objectContaining({ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], Resource: [CENTRAL_ARN, `${CENTRAL_ARN}:*`] }),
        expect.objectContaining({ Effect: "Allow", Action: ["ssm:GetParameter"], Resource: [`arn:aws:ssm:eu-west-1:123456789012:parameter${PARAMETER_NAME}`] }),
      ]);
      expect(String(policy.inputs.policy)).not.toMatch(/"\*"|log-group:\*/);
    });

    it("starts the agent with that parameter at boot, before the caller's own script", async () => {
      const script = "#!/bin/bash\nsystemctl start web\n";
      const text = Buffer.from(String(one(await plan({ ...central, userData: script }), LT, `${NAME}-lt`).inputs.userData), "base64").toString("utf8");
      const [agent, own] = mimeParts(text);
      expect(agent.body).toMatch(/^#!\/bin\/bash\n# flipstack:log-agent\n/);
      expect(agent.body).toContain(`/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c ssm:${PARAMETER_NAME}\n`);
      expect(agent.body).toContain("install -y amazon-cloudwatch-agent");
      expect(own.body).toBe(script);
    });

    it("keeps a cloud-config user data as it is, for cloud-init to recognise", async () => {
      const config = "#cloud-config\npackages: [nginx]\n";
      const text = Buffer.from(String(one(await plan({ userData: config }), LT, `${NAME}-lt`).inputs.userData), "base64").toString("utf8");
      expect(mimeParts(text)[1]).toEqual({ type: "text/plain", body: config });
    });

    it("writes to a log group of its own, kept on delete, when no central group is given", async () => {
      const p = await plan({ logRetentionDays: 14 });
      const own = one(p, LOG_GROUP, `${NAME}-logs`);
      expect(own.inputs).toMatchObject({ namePrefix: `/flipstack/instances/${NAME}-`, retentionInDays: 14 });
      expect(own.options.retainOnDelete).toBe(true);
      const [app] = collected(one(p, PARAMETER, `${NAME}-log-agent`));
      expect(app.log_group_name).toBe(p.outputs.logGroupName);
      expect(JSON.parse(String(one(p, ROLE_POLICY, `${NAME}-logs`).inputs.policy)).Statement[0].Resource[0]).toBe(`arn:aws:logs:eu-west-1:123456789012:log-group:${String(p.outputs.logGroupName)}`);
    });

    it("creates no log group of its own when a central one is given", async () => {
      expect(ofType(await plan(central), LOG_GROUP)).toEqual([]);
    });
  });

  describe("releases", () => {
    it("puts the release id in every child's URN, under the component", async () => {
      const p = await plan();
      const component = one(p, "flipstack:compute:ImmutableInstanceGroup", NAME);
      const children = p.resources.filter((r) => r.parent === component.urn);
      expect(children.map((r) => r.type).sort()).toEqual([ASG, LT, SG, EGRESS, INGRESS, ROLE, ATTACHMENT, PROFILE, LOG_GROUP, PARAMETER, ROLE_POLICY].sort());
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
      ["user data that leaves no room for the log agent", { userData: "x".repeat(15 * 1024) }, "the log agent needs the rest"],
      ["user data that is already multi-part", { userData: "Content-Type: multipart/mixed; boundary=x\n\n--x--\n" }, "already a MIME multi-part archive"],
      ["a relative application log path", { applicationLogPath: "logs/*.log" }, "`applicationLogPath` \"logs/*.log\" must be an absolute path"],
      ["a log retention CloudWatch refuses", { logRetentionDays: 10 }, "`logRetentionDays` 10 is not a retention"],
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
