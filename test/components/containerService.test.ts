import { ContainerCluster } from "../../components/containerCluster";
import * as pulumi from "@pulumi/pulumi";
import { ContainerService, secretResourceArn, type ContainerServiceArgs } from "../../components/containerService";
import { ofType, one, planOf } from "../harness";

const SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:staging/api/database-url-Xy34Zw";
const base: ContainerServiceArgs = {
  serviceName: "api",
  color: "green",
  release: { version: "3f2c1ab", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:3f2c1ab" },
  clusterArn: "arn:aws:ecs:eu-west-1:123456789012:cluster/staging",
  vpcId: "vpc-0123456789abcdef0",
  subnetIds: ["subnet-0aaaaaaaaaaaaaaaa"],
  targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/apig/0123456789abcdef",
  loadBalancerSecurityGroupId: "sg-0123456789abcdef0",
  port: 8080,
  secrets: { DATABASE_URL: SECRET },
  environment: { LOG_LEVEL: "info" },
};
const NAME = "api-green-3f2c1ab";
const plan = (args: Partial<ContainerServiceArgs> = {}) => planOf(() => new ContainerService(NAME, { ...base, ...args }));
const container = async (args: Partial<ContainerServiceArgs> = {}) => {
  const p = await plan(args);
  return { p, def: JSON.parse(String(one(p, "aws:ecs/taskDefinition:TaskDefinition", `${NAME}-task`).inputs.containerDefinitions))[0] };
};

describe("ContainerService", () => {
  it("runs the pinned image read-only and unprivileged, with secrets by reference only", async () => {
    const { def } = await container();
    expect(def).toMatchObject({ image: base.release.image, readonlyRootFilesystem: true, privileged: false, portMappings: [{ containerPort: 8080, protocol: "tcp" }] });
    expect(def.secrets).toEqual([{ name: "DATABASE_URL", valueFrom: SECRET }]);
    expect(def.environment).toEqual([{ name: "LOG_LEVEL", value: "info" }, { name: "FLIPSTACK_VERSION", value: "3f2c1ab" }, { name: "FLIPSTACK_COLOR", value: "green" }]);
    expect(JSON.stringify(def.environment)).not.toContain(SECRET);
    expect(def.mountPoints).toEqual([{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }]);
  });

  it("logs to its own retained log group, or to the central one it is given", async () => {
    const { p, def } = await container();
    const group = one(p, "aws:cloudwatch/logGroup:LogGroup", `${NAME}-logs`);
    expect(group.options.retainOnDelete).toBe(true);
    expect(def.logConfiguration.logDriver).toBe("awslogs");
    expect(def.logConfiguration.options["awslogs-region"]).toBe("eu-west-1");
    const central = await container({ logGroupName: "/flipstack/staging/api" });
    expect(ofType(central.p, "aws:cloudwatch/logGroup:LogGroup")).toHaveLength(0);
    expect(central.def.logConfiguration.options["awslogs-group"]).toBe("/flipstack/staging/api");
  });

  it("lets the execution role read exactly the configured secrets", async () => {
    const p = await plan();
    const policy = JSON.parse(String(one(p, "aws:iam/rolePolicy:RolePolicy", `${NAME}-secrets`).inputs.policy));
    expect(policy.Statement).toEqual([{ Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [SECRET] }]);
    expect(one(p, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", `${NAME}-execution`).inputs.policyArn).toBe("arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy");
    expect(ofType(await plan({ secrets: {} }), "aws:iam/rolePolicy:RolePolicy")).toHaveLength(0);
  });

  it("pulls from the service's repository alone when given one, instead of AWS's managed execution policy", async () => {
    const repository = "arn:aws:ecr:eu-west-1:123456789012:repository/api";
    const p = await plan({ imageRepositoryArn: repository });
    expect(ofType(p, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")).toHaveLength(0);
    const policy = JSON.parse(String(one(p, "aws:iam/rolePolicy:RolePolicy", `${NAME}-pull`).inputs.policy));
    expect(policy.Statement).toEqual([
      { Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
      { Effect: "Allow", Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"], Resource: repository },
      { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: "*" },
    ]);
  });

  it("gives the task role only the application's policy", async () => {
    expect(ofType(await plan({ secrets: {} }), "aws:iam/rolePolicy:RolePolicy")).toHaveLength(0);
    const p = await plan({ secrets: {}, taskRolePolicy: '{"Version":"2012-10-17","Statement":[]}' });
    expect(one(p, "aws:iam/rolePolicy:RolePolicy", `${NAME}-app`).inputs.policy).toBe('{"Version":"2012-10-17","Statement":[]}');
  });

  it("runs on Fargate in private subnets behind the slot's target group, waiting for steady state with the circuit breaker", async () => {
    const service = one(await plan(), "aws:ecs/service:Service", `${NAME}-service`).inputs;
    expect(service).toMatchObject({
      launchType: "FARGATE",
      waitForSteadyState: true,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      loadBalancers: [{ targetGroupArn: base.targetGroupArn, containerName: "api", containerPort: 8080 }],
    });
    expect((service.networkConfiguration as Record<string, unknown>).assignPublicIp).toBe(false);
  });

  it("accepts traffic only from the load balancer's security group", async () => {
    const [ingress] = ofType(await plan(), "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(ingress.inputs).toMatchObject({ referencedSecurityGroupId: base.loadBalancerSecurityGroupId, fromPort: 8080, toPort: 8080 });
    expect(ingress.inputs.cidrIpv4).toBeUndefined();
  });

  it("registers the slot's release in Cloud Map as <service>-<color>-<release>", async () => {
    const p = await plan({ serviceDiscovery: { namespaceId: "ns-0123456789abcdef0" } });
    expect(one(p, "aws:servicediscovery/service:Service", `${NAME}-discovery`).inputs.name).toBe("api-green-3f2c1ab");
    expect(one(p, "aws:ecs/service:Service", `${NAME}-service`).inputs.serviceRegistries).toEqual({ registryArn: expect.stringMatching(/^arn:aws:servicediscovery:/) });
  });

  it("two releases share a stack without colliding", async () => {
    const p = await planOf(() => {
      new ContainerService("api-green-3f2c1ab", base);
      new ContainerService("api-blue-9d8e7f6", { ...base, color: "blue", release: { version: "9d8e7f6", image: "r.example.com/api:9d8e7f6" } });
    });
    const urns = p.resources.map((r) => r.urn);
    expect(new Set(urns).size).toBe(urns.length);
  });

  it("a redeploy of the same slot registers the new release under its own Cloud Map name, beside the old one", async () => {
    const discovery = { serviceDiscovery: { namespaceId: "ns-0123456789abcdef0" } };
    const p = await planOf(() => {
      new ContainerService("api-green-3f2c1ab", { ...base, ...discovery });
      new ContainerService("api-green-4a5b6c7", { ...base, ...discovery, release: { version: "4a5b6c7", image: "r.example.com/api:4a5b6c7" } });
    });
    expect(ofType(p, "aws:servicediscovery/service:Service").map((s) => s.inputs.name)).toEqual(["api-green-3f2c1ab", "api-green-4a5b6c7"]);
  });

  it.each([
    [{ release: { version: "1", image: "r.example.com/api:latest" } }, "uses the tag `latest`"],
    [{ release: { version: "1", image: "r.example.com/api" } }, "is not pinned"],
    [{ secrets: { DATABASE_URL: "postgres://user:pw@db" } }, "reference the secret, never its value"],
    [{ cpu: 256, memory: 4096 }, "does not fit 256 CPU units"],
    [{ desiredCount: 0 }, "`desiredCount` 0"],
  ])("rejects %j before creating anything", async (args, message) => {
    await expect(plan(args)).rejects.toThrow(message);
  });
});

describe("ContainerCluster", () => {
  it("turns Container Insights on and creates the private namespace in the VPC", async () => {
    const p = await planOf(() => new ContainerCluster("containers", { vpcId: "vpc-0123456789abcdef0", namespaceName: "staging.flipstack.internal" }));
    expect(one(p, "aws:ecs/cluster:Cluster", "containers-cluster").inputs.settings).toEqual([{ name: "containerInsights", value: "enabled" }]);
    expect(one(p, "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace", "containers-namespace").inputs).toMatchObject({ name: "staging.flipstack.internal", vpc: "vpc-0123456789abcdef0" });
  });

  it.each(["Staging", "internal", "bad_name.internal"])("rejects the namespace name %s", async (namespaceName) => {
    await expect(planOf(() => new ContainerCluster("c", { vpcId: "vpc-1", namespaceName }))).rejects.toThrow("is not a lower-case DNS name");
  });
  describe("a database's secret and client group", () => {
    const DB_SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b-AbCdEf";
    const withDatabase = { securityGroupIds: ["sg-0dddddddddddddddd"], secrets: { DATABASE_PASSWORD: pulumi.output(`${DB_SECRET}:password::`) }, environment: { DATABASE_HOST: pulumi.output("db.example.internal") } };

    it("joins the extra security groups beside its own", async () => {
      const p = await plan(withDatabase);
      const groups = (one(p, "aws:ecs/service:Service", `${NAME}-service`).inputs.networkConfiguration as { securityGroups: string[] }).securityGroups;
      expect(groups).toEqual([one(p, "aws:ec2/securityGroup:SecurityGroup", `${NAME}-sg`).id, "sg-0dddddddddddddddd"]);
    });

    it("takes a JSON key of a secret known only at deploy time, and grants the secret itself", async () => {
      const { p, def } = await container(withDatabase);
      expect(def.secrets).toEqual([{ name: "DATABASE_PASSWORD", valueFrom: `${DB_SECRET}:password::` }]);
      expect(def.environment).toContainEqual({ name: "DATABASE_HOST", value: "db.example.internal" });
      const policy = JSON.parse(String(one(p, "aws:iam/rolePolicy:RolePolicy", `${NAME}-secrets`).inputs.policy));
      expect(policy.Statement).toEqual([{ Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [DB_SECRET] }]);
    });

    it.each([
      [`${"arn:aws:secretsmanager:eu-west-1:123456789012:secret:app-AbCdEf"}:password:AWSCURRENT:`, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app-AbCdEf"],
      ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:app-AbCdEf", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app-AbCdEf"],
      ["arn:aws:ssm:eu-west-1:123456789012:parameter/app/token", "arn:aws:ssm:eu-west-1:123456789012:parameter/app/token"],
    ])("grants %s as %s", (valueFrom, resource) => {
      expect(secretResourceArn(valueFrom)).toBe(resource);
    });
  });
});
