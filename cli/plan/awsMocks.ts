import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { AWSX_COMPONENTS } from "./awsxMocks";
import { givenAnswer, LOOKUPS, unansweredLookup, type Lookups } from "./lookups";
import { availabilityZoneNames, regionFacts } from "./regions";

type Inputs = Record<string, unknown>;

/** The account every offline plan pretends to run in (the one AWS uses in its documentation). */
export const OFFLINE_ACCOUNT_ID = "123456789012";

export interface AwsMockOptions {
  region: string;
  accountId?: string;
  /** Answers a `pulumi.StackReference` to another stack: its outputs, or undefined when it was never deployed. */
  stackOutputs?: (stackName: string) => Record<string, unknown> | undefined;
  /** The program's own answers to data-source calls, merged over the plan's (see {@link Lookups}). */
  lookups?: Lookups;
  /**
   * Takes what an awsx component's inputs get wrong (what awsx itself would refuse). Without it the registration
   * fails, which the SDK reports as an unhandled rejection; with it the component gets no outputs and the caller
   * raises the problem once the program has run.
   */
  onProblem?: (problem: Error) => void;
}

interface ResourceContext {
  name: string;
  id: string;
  inputs: Inputs;
  region: string;
  account: string;
  hex: (length: number) => string;
}

interface TypeMock {
  /** How the physical id looks; defaults to `${prefix}${17 hex}` or the physical name. */
  id: (c: ResourceContext) => string;
  /** Output properties the provider computes (ARNs, DNS names, addresses). */
  computed?: (c: ResourceContext) => Inputs;
}

const ec2Arn = (kind: string) => (c: ResourceContext) => ({ arn: `arn:aws:ec2:${c.region}:${c.account}:${kind}/${c.id}` });
const prefixed = (prefix: string) => (c: ResourceContext) => `${prefix}-0${c.hex(16)}`;
const physicalName = (c: ResourceContext) => String(c.inputs.name ?? c.inputs.bucket ?? c.inputs.family ?? c.id);
/** An RDS identifier as the provider generates it: lower case, the logical name and a unique suffix. */
const rdsIdentifier = (c: ResourceContext) => String(c.inputs.identifier ?? `${String(c.inputs.identifierPrefix ?? `${c.name}-`)}${c.hex(8)}`).toLowerCase();
const albArnSuffix = (c: ResourceContext, kind: string) => `${kind}/${String(c.inputs.name ?? c.name)}/${c.hex(16)}`;

// Only what Flipstack's programs read back is modelled; everything else echoes the inputs, as AWS would.
const TYPES: Record<string, TypeMock> = {
  "aws:ec2/vpc:Vpc": {
    id: prefixed("vpc"),
    computed: (c) => ({
      ...ec2Arn("vpc")(c),
      defaultSecurityGroupId: `sg-0${c.hex(16)}`,
      mainRouteTableId: `rtb-0${c.hex(16)}`,
      defaultNetworkAclId: `acl-0${c.hex(16)}`,
      ownerId: c.account,
    }),
  },
  "aws:ec2/subnet:Subnet": { id: prefixed("subnet"), computed: ec2Arn("subnet") },
  "aws:ec2/internetGateway:InternetGateway": { id: prefixed("igw"), computed: ec2Arn("internet-gateway") },
  "aws:ec2/eip:Eip": {
    id: prefixed("eipalloc"),
    computed: (c) => ({ allocationId: c.id, publicIp: `203.0.113.${parseInt(c.hex(2), 16) % 250 + 1}` }),
  },
  "aws:ec2/natGateway:NatGateway": { id: prefixed("nat"), computed: () => ({}) },
  "aws:ec2/routeTable:RouteTable": { id: prefixed("rtb"), computed: ec2Arn("route-table") },
  "aws:ec2/routeTableAssociation:RouteTableAssociation": { id: prefixed("rtbassoc") },
  "aws:ec2/route:Route": { id: (c) => `r-${String(c.inputs.routeTableId)}${c.hex(8)}` },
  "aws:ec2/flowLog:FlowLog": { id: prefixed("fl"), computed: ec2Arn("vpc-flow-log") },
  "aws:ec2/vpcEndpoint:VpcEndpoint": { id: prefixed("vpce"), computed: ec2Arn("vpc-endpoint") },
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": { id: prefixed("sg"), computed: ec2Arn("security-group") },
  "aws:ec2/securityGroup:SecurityGroup": { id: prefixed("sg"), computed: ec2Arn("security-group") },
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": { id: prefixed("sgr"), computed: ec2Arn("security-group-rule") },
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": { id: prefixed("sgr"), computed: ec2Arn("security-group-rule") },
  "aws:ec2/vpnGateway:VpnGateway": { id: prefixed("vgw"), computed: ec2Arn("vpn-gateway") },
  "aws:ec2/vpnGatewayAttachment:VpnGatewayAttachment": { id: (c) => `vpn-attach-${c.hex(8)}` },
  "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation": {
    id: (c) => `${String(c.inputs.routeTableId)}_${String(c.inputs.vpnGatewayId)}`,
  },
  "aws:ec2/customerGateway:CustomerGateway": { id: prefixed("cgw"), computed: ec2Arn("customer-gateway") },
  "aws:ec2/vpnConnection:VpnConnection": {
    id: prefixed("vpn"),
    computed: (c) => ({
      ...ec2Arn("vpn-connection")(c),
      tunnel1Address: `192.0.2.${parseInt(c.hex(2), 16) % 120 + 1}`,
      tunnel2Address: `192.0.2.${parseInt(c.hex(2), 16) % 120 + 130}`,
      tunnel1PresharedKey: `offline_${c.hex(24)}`,
      tunnel2PresharedKey: `offline_${c.hex(24).split("").reverse().join("")}`,
      tunnel1InsideCidr: "169.254.10.0/30",
      tunnel2InsideCidr: "169.254.11.0/30",
    }),
  },
  "aws:ec2/vpnConnectionRoute:VpnConnectionRoute": { id: (c) => `${String(c.inputs.destinationCidrBlock)}:${String(c.inputs.vpnConnectionId)}` },
  "aws:ec2/launchTemplate:LaunchTemplate": {
    id: prefixed("lt"),
    computed: (c) => ({ ...ec2Arn("launch-template")(c), latestVersion: 1, defaultVersion: 1 }),
  },
  "aws:cloudwatch/logGroup:LogGroup": {
    id: physicalName,
    computed: (c) => ({ arn: `arn:aws:logs:${c.region}:${c.account}:log-group:${physicalName(c)}` }),
  },
  "aws:cloudwatch/metricAlarm:MetricAlarm": {
    id: physicalName,
    computed: (c) => ({ arn: `arn:aws:cloudwatch:${c.region}:${c.account}:alarm:${physicalName(c)}` }),
  },
  // A parameter's id is its name; its ARN drops the name's leading slash.
  "aws:ssm/parameter:Parameter": {
    id: physicalName,
    computed: (c) => ({ arn: `arn:aws:ssm:${c.region}:${c.account}:parameter/${physicalName(c).replace(/^\//, "")}`, version: 1 }),
  },
  "aws:iam/role:Role": {
    id: physicalName,
    computed: (c) => ({ arn: `arn:aws:iam::${c.account}:role/${physicalName(c)}`, uniqueId: `AROA${c.hex(17).toUpperCase()}` }),
  },
  "aws:iam/instanceProfile:InstanceProfile": {
    id: physicalName,
    computed: (c) => ({ arn: `arn:aws:iam::${c.account}:instance-profile/${physicalName(c)}` }),
  },
  "aws:iam/policy:Policy": {
    id: (c) => `arn:aws:iam::${c.account}:policy/${physicalName(c)}`,
    computed: (c) => ({ arn: `arn:aws:iam::${c.account}:policy/${physicalName(c)}` }),
  },
  "aws:lb/loadBalancer:LoadBalancer": {
    id: (c) => `arn:aws:elasticloadbalancing:${c.region}:${c.account}:loadbalancer/${albArnSuffix(c, "app")}`,
    computed: (c) => ({
      arn: c.id,
      arnSuffix: c.id.split(":loadbalancer/")[1],
      dnsName: `${physicalName(c)}-${parseInt(c.hex(8), 16)}.${c.region}.elb.amazonaws.com`,
      zoneId: regionFacts(c.region).albHostedZoneId,
    }),
  },
  "aws:lb/targetGroup:TargetGroup": {
    id: (c) => `arn:aws:elasticloadbalancing:${c.region}:${c.account}:${albArnSuffix(c, "targetgroup")}`,
    computed: (c) => ({ arn: c.id, arnSuffix: c.id.split(":").pop() }),
  },
  "aws:lb/listener:Listener": {
    id: (c) => `arn:aws:elasticloadbalancing:${c.region}:${c.account}:listener/app/${c.hex(8)}/${c.hex(16)}/${c.hex(16)}`,
    computed: (c) => ({ arn: c.id }),
  },
  "aws:lb/listenerRule:ListenerRule": {
    id: (c) => `arn:aws:elasticloadbalancing:${c.region}:${c.account}:listener-rule/app/${c.hex(8)}/${c.hex(16)}/${c.hex(16)}/${c.hex(16)}`,
    computed: (c) => ({ arn: c.id }),
  },
  "aws:s3/bucket:Bucket": {
    id: physicalName,
    computed: (c) => ({
      arn: `arn:aws:s3:::${physicalName(c)}`,
      bucket: physicalName(c),
      bucketDomainName: `${physicalName(c)}.s3.amazonaws.com`,
      bucketRegionalDomainName: `${physicalName(c)}.s3.${c.region}.amazonaws.com`,
      region: c.region,
    }),
  },
  "aws:kms/key:Key": {
    id: (c) => `${c.hex(8)}-${c.hex(12).slice(8)}-4${c.hex(15).slice(12)}-8${c.hex(18).slice(15)}-${c.hex(30).slice(18)}`,
    computed: (c) => ({ arn: `arn:aws:kms:${c.region}:${c.account}:key/${c.id}`, keyId: c.id }),
  },
  "aws:ecs/cluster:Cluster": {
    id: (c) => `arn:aws:ecs:${c.region}:${c.account}:cluster/${physicalName(c)}`,
    computed: (c) => ({ arn: c.id }),
  },
  "aws:ecs/taskDefinition:TaskDefinition": {
    id: (c) => physicalName(c),
    computed: (c) => ({ arn: `arn:aws:ecs:${c.region}:${c.account}:task-definition/${physicalName(c)}:1`, revision: 1 }),
  },
  "aws:ecs/service:Service": {
    id: (c) => `arn:aws:ecs:${c.region}:${c.account}:service/${physicalName(c)}`,
  },
  "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": {
    id: prefixed("ns"),
    computed: (c) => ({ arn: `arn:aws:servicediscovery:${c.region}:${c.account}:namespace/${c.id}`, hostedZone: `Z0${c.hex(18).toUpperCase()}` }),
  },
  "aws:servicediscovery/service:Service": {
    id: prefixed("srv"),
    computed: (c) => ({ arn: `arn:aws:servicediscovery:${c.region}:${c.account}:service/${c.id}` }),
  },
  // A topic's id is its ARN; a subscription's is the topic's ARN and a subscription id.
  "aws:sns/topic:Topic": {
    id: (c) => `arn:aws:sns:${c.region}:${c.account}:${physicalName(c)}`,
    computed: (c) => ({ arn: c.id }),
  },
  "aws:sns/topicSubscription:TopicSubscription": {
    id: (c) => `${String(c.inputs.topic)}:${c.hex(8)}-${c.hex(4)}-${c.hex(4)}-${c.hex(4)}-${c.hex(12)}`,
    computed: (c) => ({ arn: c.id }),
  },
  // RDS names an instance by its identifier; the endpoint's middle label is per account and region.
  "aws:rds/instance:Instance": {
    id: rdsIdentifier,
    computed: (c) => {
      const address = `${c.id}.c${c.hex(20).slice(9)}.${c.region}.rds.amazonaws.com`;
      const port = Number(c.inputs.port ?? 5432);
      const secretId = `${c.hex(8)}-${c.hex(12).slice(8)}-${c.hex(16).slice(12)}-${c.hex(20).slice(16)}-${c.hex(32).slice(20)}`;
      return {
        identifier: c.id,
        arn: `arn:aws:rds:${c.region}:${c.account}:db:${c.id}`,
        resourceId: `db-${c.hex(26).toUpperCase()}`,
        address,
        port,
        endpoint: `${address}:${port}`,
        hostedZoneId: "Z29XKXDKYMONMX",
        engineVersionActual: String(c.inputs.engineVersion ?? "16").includes(".") ? c.inputs.engineVersion : `${String(c.inputs.engineVersion ?? "16")}.6`,
        status: "available",
        // Only the secret's ARN: its value (the password) never leaves Secrets Manager.
        masterUserSecrets: c.inputs.manageMasterUserPassword === true
          ? [{ secretArn: `arn:aws:secretsmanager:${c.region}:${c.account}:secret:rds!db-${secretId}-${c.hex(6)}`, kmsKeyId: `arn:aws:kms:${c.region}:${c.account}:key/${secretId}`, secretStatus: "active" }]
          : [],
      };
    },
  },
  "aws:rds/subnetGroup:SubnetGroup": {
    id: physicalName,
    computed: (c) => ({ arn: `arn:aws:rds:${c.region}:${c.account}:subgrp:${physicalName(c)}` }),
  },
  "aws:rds/parameterGroup:ParameterGroup": {
    id: physicalName,
    computed: (c) => ({ arn: `arn:aws:rds:${c.region}:${c.account}:pg:${physicalName(c)}` }),
  },
  // A repository's URL names the account and region it lives in, as ECR's does.
  "aws:ecr/repository:Repository": {
    id: physicalName,
    computed: (c) => ({
      arn: `arn:aws:ecr:${c.region}:${c.account}:repository/${physicalName(c)}`,
      registryId: c.account,
      repositoryUrl: `${c.account}.dkr.ecr.${c.region}.amazonaws.com/${physicalName(c)}`,
    }),
  },
  "aws:ecr/lifecyclePolicy:LifecyclePolicy": { id: (c) => String(c.inputs.repository), computed: (c) => ({ registryId: c.account }) },
  "aws:ecr/repositoryPolicy:RepositoryPolicy": { id: (c) => String(c.inputs.repository), computed: (c) => ({ registryId: c.account }) },
  // What @pulumi/docker reports after a push: the repository (the image name without its tag) and the digest.
  "docker:index/image:Image": {
    id: (c) => `sha256:${c.hex(64)}`,
    computed: (c) => {
      const repository = String(c.inputs.imageName).replace(/:[^:/]+$/, "");
      return { repoDigest: `${repository}@sha256:${stableHex(`digest::${String(c.inputs.imageName)}`)(64)}`, registryServer: repository.split("/")[0] };
    },
  },
  "aws:autoscaling/group:Group": {
    id: physicalName,
    computed: (c) => ({ arn: `arn:aws:autoscaling:${c.region}:${c.account}:autoScalingGroup:${c.hex(8)}-${c.hex(4)}:autoScalingGroupName/${physicalName(c)}` }),
  },
};

// Resources whose physical name the provider generates when none is given (Pulumi auto-naming).
function autoName(type: string, name: string, inputs: Inputs, hex: (n: number) => string): Inputs {
  if (inputs.name !== undefined) return {};
  // Like the provider: the prefix plus a 26-character unique suffix.
  if (typeof inputs.namePrefix === "string") return { name: `${inputs.namePrefix}${hex(26)}` };
  if (type === "aws:s3/bucket:Bucket") return inputs.bucket === undefined ? { bucket: `${name}-${hex(7)}`.toLowerCase() } : {};
  if (type === "aws:ecs/taskDefinition:TaskDefinition" || type === "aws:rds/instance:Instance") return {};
  if (type.startsWith("pulumi:") || type.startsWith("docker:")) return {};
  return { name: `${name}-${hex(7)}` };
}

function stableHex(seed: string): (length: number) => string {
  const digest = createHash("sha256").update(seed).digest("hex");
  return (length) => digest.slice(0, length);
}

/** Builds deterministic, realistic answers for every resource and data source Flipstack's programs use. */
export function awsMocks(options: AwsMockOptions): pulumi.runtime.Mocks {
  const region = options.region;
  const account = options.accountId ?? OFFLINE_ACCOUNT_ID;
  regionFacts(region); // fail early on a region the plan cannot answer for
  // Explicit providers (another region) answer for their own region: provider id → region.
  const providerRegions = new Map<string, string>();
  const regionOf = (provider: string | undefined) => providerRegions.get(provider?.split("::").pop() ?? "") ?? region;
  // Subnet id → VPC id, for every subnet answered so far: a lookup of one of them finds its real VPC.
  const subnetVpcs = new Map<string, string>();

  // The id and state of one AWS resource, whether the program registers it or an awsx component would create it.
  // `seed` tells apart same-named resources of different awsx components (the engine tells them apart by parent).
  const answerResource = (type: string, name: string, given: Inputs, resourceRegion: string, importId?: string, seed = ""): { id: string; state: Inputs } => {
    const hex = stableHex(`${seed}${type}::${name}`);
    const inputs: Inputs = { ...given, ...autoName(type, name, given, hex) };
    const mock = TYPES[type];
    const base = { name, inputs, region: resourceRegion, account, hex };
    const id = importId || (mock ? mock.id({ ...base, id: "" }) : `${type.split(":").pop()!.toLowerCase()}-${hex(12)}`);
    const computed = mock?.computed?.({ ...base, id }) ?? {};
    if (type === "aws:ec2/subnet:Subnet" && typeof inputs.vpcId === "string") subnetVpcs.set(id, inputs.vpcId);
    return { id, state: { ...inputs, ...computed, id } };
  };

  return {
    newResource(args) {
      const hex = stableHex(`${args.type}::${args.name}`);
      if (args.type === "pulumi:providers:aws") {
        const id = `${hex(8)}-${hex(12).slice(8)}-${hex(16).slice(12)}`;
        if (typeof args.inputs.region === "string") {
          regionFacts(args.inputs.region);
          providerRegions.set(id, args.inputs.region);
        }
        return { id, state: { ...args.inputs } };
      }
      if (args.type === "pulumi:pulumi:StackReference") {
        const stackName = String(args.inputs.name);
        const outputs = options.stackOutputs?.(stackName);
        if (outputs === undefined) throw new Error(`stack "${stackName}" has no outputs to read offline`);
        return { id: stackName, state: { name: stackName, outputs, secretOutputNames: [] } };
      }
      const awsx = AWSX_COMPONENTS[args.type];
      if (awsx) {
        // A remote component: no id, and its outputs are the whole answer (see awsxMocks.ts).
        const componentRegion = typeof args.inputs.region === "string" ? args.inputs.region : regionOf(args.provider);
        const answer = () => awsx(args.name, args.inputs, {
          region: componentRegion,
          availabilityZones: availabilityZoneNames(componentRegion),
          resource: (type, name, inputs) => answerResource(type, name, { ...inputs, region: componentRegion }, componentRegion, undefined, `${args.type}::${args.name}$`).state,
          subnetVpcId: (subnetId) => subnetVpcs.get(subnetId) ?? String(lookup("aws:ec2/getSubnet:getSubnet", { id: subnetId }, componentRegion).vpcId),
        });
        if (!options.onProblem) return { id: undefined, state: answer() };
        try {
          return { id: undefined, state: answer() };
        } catch (err) {
          options.onProblem(err instanceof Error ? err : new Error(String(err)));
          return { id: undefined, state: {} };
        }
      }
      return answerResource(args.type, args.name, args.inputs, regionOf(args.provider), args.id);
    },
    call(args) {
      // The program's own answer wins over the plan's; a token the plan cannot answer needs one.
      const given = givenAnswer(options.lookups ?? {}, args.token, args.inputs);
      return { ...answerCall(args, given !== undefined), ...given };
    },
  };

  // A data-source call made on the program's behalf (awsx's own lookups), answered as the program's would be.
  function lookup(token: string, inputs: Inputs, lookupRegion: string): Record<string, unknown> {
    const given = givenAnswer(options.lookups ?? {}, token, inputs);
    return { ...answerCall({ token, inputs }, given !== undefined, lookupRegion), ...given };
  }

  function answerCall(args: pulumi.runtime.MockCallArgs, answeredByProgram: boolean, callRegion?: string): Record<string, unknown> {
    const region = callRegion ?? regionOf(args.provider);
    switch (args.token) {
      case "aws:index/getAvailabilityZones:getAvailabilityZones": {
        const names = availabilityZoneNames(region);
        return { names, zoneIds: names.map((_, i) => `${region.replace(/-/g, "").slice(0, 4)}-az${i + 1}`), state: "available", id: region };
      }
      case "aws:index/getRegion:getRegion":
        return { name: region, region, id: region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return { accountId: account, arn: `arn:aws:iam::${account}:user/flipstack-offline`, userId: "AIDAOFFLINE", id: account };
      case "aws:index/getPartition:getPartition":
        return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
      case "aws:elb/getServiceAccount:getServiceAccount": {
        const elbAccount = regionFacts(region).elbAccountId;
        return { id: elbAccount, arn: `arn:aws:iam::${elbAccount}:root` };
      }
      default: {
        const lookup = LOOKUPS[args.token];
        if (lookup) return lookup({ args: args.inputs, region, account });
        if (answeredByProgram) return {};
        throw unansweredLookup(args.token);
      }
    }
  }
}
