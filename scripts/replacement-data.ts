/**
 * Writes cli/diff/replacementData.json: for each Pulumi AWS resource type Flipstack knows, which of its inputs make
 * AWS replace the resource instead of updating it, and whether the resource holds data.
 *
 * The knowledge is the CloudFormation resource schemas' (`createOnlyProperties`, conditional updates, stateful
 * types) as packaged in `@aws-cdk/aws-service-spec` (a dev dependency: only this script reads it). CloudFormation and
 * the Pulumi AWS provider talk to the same AWS APIs, but name inputs differently: each CloudFormation property is
 * matched to the Pulumi input of the same name (case-insensitive) or to the aliases below, and checked against the
 * provider's own argument list in `node_modules/@pulumi/aws`. Properties with no Pulumi counterpart are listed in
 * the output as `notMapped`.
 *
 * Run by a person after upgrading either package: `npm run replacement-data`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";

interface CfnProperty {
  causesReplacement?: "yes" | "maybe" | "no";
}
interface CfnResource {
  cloudFormationType: string;
  isStateful?: boolean;
  properties: Record<string, CfnProperty>;
}

/** Pulumi type token → CloudFormation type, and CloudFormation property → Pulumi inputs where the names differ. */
const TYPES: Record<string, { cfn: string; aliases?: Record<string, string[]> }> = {
  "aws:autoscaling/group:Group": { cfn: "AWS::AutoScaling::AutoScalingGroup", aliases: { AutoScalingGroupName: ["name", "namePrefix"] } },
  "aws:cloudwatch/logGroup:LogGroup": { cfn: "AWS::Logs::LogGroup", aliases: { LogGroupName: ["name", "namePrefix"] } },
  "aws:cloudwatch/metricAlarm:MetricAlarm": { cfn: "AWS::CloudWatch::Alarm", aliases: { AlarmName: ["name"] } },
  "aws:dynamodb/table:Table": { cfn: "AWS::DynamoDB::Table", aliases: { TableName: ["name"] } },
  // The VPC's default group is an AWS::EC2::SecurityGroup that CloudFormation cannot adopt; its VpcId means the same.
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": { cfn: "AWS::EC2::SecurityGroup" },
  "aws:ec2/customerGateway:CustomerGateway": { cfn: "AWS::EC2::CustomerGateway" },
  "aws:ec2/eip:Eip": { cfn: "AWS::EC2::EIP" },
  "aws:ec2/flowLog:FlowLog": {
    cfn: "AWS::EC2::FlowLog",
    aliases: { ResourceId: ["vpcId", "subnetId", "eniId", "transitGatewayId", "transitGatewayAttachmentId"], DeliverLogsPermissionArn: ["iamRoleArn"] },
  },
  "aws:ec2/instance:Instance": { cfn: "AWS::EC2::Instance", aliases: { ImageId: ["ami"] } },
  "aws:ec2/internetGateway:InternetGateway": { cfn: "AWS::EC2::InternetGateway" },
  "aws:ec2/launchTemplate:LaunchTemplate": { cfn: "AWS::EC2::LaunchTemplate", aliases: { LaunchTemplateName: ["name", "namePrefix"] } },
  "aws:ec2/natGateway:NatGateway": { cfn: "AWS::EC2::NatGateway" },
  "aws:ec2/route:Route": { cfn: "AWS::EC2::Route" },
  "aws:ec2/routeTable:RouteTable": { cfn: "AWS::EC2::RouteTable" },
  "aws:ec2/routeTableAssociation:RouteTableAssociation": { cfn: "AWS::EC2::SubnetRouteTableAssociation" },
  "aws:ec2/securityGroup:SecurityGroup": { cfn: "AWS::EC2::SecurityGroup", aliases: { GroupName: ["name", "namePrefix"], GroupDescription: ["description"] } },
  "aws:ec2/subnet:Subnet": { cfn: "AWS::EC2::Subnet" },
  "aws:ec2/vpc:Vpc": { cfn: "AWS::EC2::VPC" },
  "aws:ec2/vpcEndpoint:VpcEndpoint": { cfn: "AWS::EC2::VPCEndpoint" },
  // CloudFormation's VpnTunnelOptionsSpecifications has no single Pulumi input: the provider flattens it into
  // tunnel1*/tunnel2* inputs and changes them in place (ModifyVpnTunnelOptions), so it is deliberately not mapped.
  "aws:ec2/vpnConnection:VpnConnection": { cfn: "AWS::EC2::VPNConnection" },
  "aws:ec2/vpnConnectionRoute:VpnConnectionRoute": { cfn: "AWS::EC2::VPNConnectionRoute" },
  "aws:ec2/vpnGateway:VpnGateway": { cfn: "AWS::EC2::VPNGateway" },
  "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation": { cfn: "AWS::EC2::VPNGatewayRoutePropagation", aliases: { RouteTableIds: ["routeTableId"] } },
  "aws:ecr/repository:Repository": { cfn: "AWS::ECR::Repository", aliases: { RepositoryName: ["name"], EncryptionConfiguration: ["encryptionConfigurations"] } },
  // CloudFormation keeps a repository's lifecycle and repository policies as its properties; the provider's separate
  // resources are replaced when their repository is.
  "aws:ecr/lifecyclePolicy:LifecyclePolicy": { cfn: "AWS::ECR::Repository", aliases: { RepositoryName: ["repository"] } },
  "aws:ecr/repositoryPolicy:RepositoryPolicy": { cfn: "AWS::ECR::Repository", aliases: { RepositoryName: ["repository"] } },
  "aws:ecs/cluster:Cluster": { cfn: "AWS::ECS::Cluster", aliases: { ClusterName: ["name"] } },
  "aws:ecs/service:Service": { cfn: "AWS::ECS::Service", aliases: { ServiceName: ["name"], Role: ["iamRole"] } },
  "aws:ecs/taskDefinition:TaskDefinition": { cfn: "AWS::ECS::TaskDefinition" },
  "aws:efs/fileSystem:FileSystem": { cfn: "AWS::EFS::FileSystem" },
  "aws:iam/instanceProfile:InstanceProfile": { cfn: "AWS::IAM::InstanceProfile", aliases: { InstanceProfileName: ["name", "namePrefix"] } },
  "aws:iam/role:Role": { cfn: "AWS::IAM::Role", aliases: { RoleName: ["name", "namePrefix"] } },
  "aws:iam/rolePolicy:RolePolicy": { cfn: "AWS::IAM::RolePolicy", aliases: { RoleName: ["role"], PolicyName: ["name", "namePrefix"] } },
  "aws:lb/listener:Listener": { cfn: "AWS::ElasticLoadBalancingV2::Listener" },
  "aws:lb/listenerRule:ListenerRule": { cfn: "AWS::ElasticLoadBalancingV2::ListenerRule" },
  "aws:lb/loadBalancer:LoadBalancer": {
    cfn: "AWS::ElasticLoadBalancingV2::LoadBalancer",
    aliases: { Name: ["name", "namePrefix"], Type: ["loadBalancerType"], Scheme: ["internal"] },
  },
  "aws:lb/targetGroup:TargetGroup": { cfn: "AWS::ElasticLoadBalancingV2::TargetGroup", aliases: { Name: ["name", "namePrefix"] } },
  "aws:rds/cluster:Cluster": { cfn: "AWS::RDS::DBCluster", aliases: { DBClusterIdentifier: ["clusterIdentifier", "clusterIdentifierPrefix"], MasterUsername: ["masterUsername"], DatabaseName: ["databaseName"] } },
  "aws:rds/instance:Instance": {
    cfn: "AWS::RDS::DBInstance",
    aliases: { DBInstanceIdentifier: ["identifier", "identifierPrefix"], MasterUsername: ["username"], DBSnapshotIdentifier: ["snapshotIdentifier"], DBParameterGroupName: ["parameterGroupName"] },
  },
  "aws:rds/parameterGroup:ParameterGroup": { cfn: "AWS::RDS::DBParameterGroup", aliases: { DBParameterGroupName: ["name", "namePrefix"] } },
  "aws:rds/subnetGroup:SubnetGroup": { cfn: "AWS::RDS::DBSubnetGroup", aliases: { DBSubnetGroupName: ["name", "namePrefix"], DBSubnetGroupDescription: ["description"] } },
  "aws:s3/bucket:Bucket": { cfn: "AWS::S3::Bucket", aliases: { BucketName: ["bucket", "bucketPrefix"], BucketNamePrefix: ["bucketPrefix"] } },
  "aws:s3/bucketPolicy:BucketPolicy": { cfn: "AWS::S3::BucketPolicy" },
  "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": { cfn: "AWS::ServiceDiscovery::PrivateDnsNamespace" },
  "aws:servicediscovery/service:Service": { cfn: "AWS::ServiceDiscovery::Service" },
  "aws:sns/topic:Topic": { cfn: "AWS::SNS::Topic", aliases: { TopicName: ["name", "namePrefix"] } },
  "aws:sns/topicSubscription:TopicSubscription": { cfn: "AWS::SNS::Subscription", aliases: { TopicArn: ["topic"] } },
  "aws:ssm/parameter:Parameter": { cfn: "AWS::SSM::Parameter" },
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
    cfn: "AWS::EC2::SecurityGroupEgress",
    aliases: { GroupId: ["securityGroupId"], CidrIp: ["cidrIpv4"], DestinationSecurityGroupId: ["referencedSecurityGroupId"], DestinationPrefixListId: ["prefixListId"] },
  },
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
    cfn: "AWS::EC2::SecurityGroupIngress",
    aliases: { GroupId: ["securityGroupId"], CidrIp: ["cidrIpv4"], SourceSecurityGroupId: ["referencedSecurityGroupId"], SourcePrefixListId: ["prefixListId"] },
  },
};

/** Pulumi AWS v7 manages each resource in its own `region`; a resource cannot move between regions. */
const EVERY_TYPE_REPLACES = ["region"];

const root = path.join(__dirname, "..");

function loadSpec(): Map<string, CfnResource> {
  const file = path.join(root, "node_modules", "@aws-cdk", "aws-service-spec", "db.json.gz");
  const db = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString("utf8")) as { schema: { resource: { entities: CfnResource[] } } };
  return new Map(db.schema.resource.entities.map((r) => [r.cloudFormationType, r]));
}

/** The input names of a Pulumi AWS resource, read from its `<Class>Args` interface in the provider's typings. */
function pulumiInputs(token: string): string[] {
  const [, module, file, className] = /^aws:([^/]+)\/([^:]+):(\w+)$/.exec(token) ?? [];
  const typings = fs.readFileSync(path.join(root, "node_modules", "@pulumi", "aws", module, `${file}.d.ts`), "utf8");
  const start = typings.indexOf(`export interface ${className}Args {`);
  if (start < 0) throw new Error(`${token}: no ${className}Args in @pulumi/aws`);
  const body = typings.slice(start, typings.indexOf("\n}", start));
  return [...body.matchAll(/^ {4}(\w+)\??:/gm)].map((m) => m[1]);
}

export interface TypeReplacementData {
  cloudFormationType: string;
  /** Inputs whose change always replaces the resource. */
  replaces: string[];
  /** Inputs whose change replaces it for some values (CloudFormation's "conditional" updates). */
  mayReplace: string[];
  /** CloudFormation marks the type stateful: replacing it loses what it holds. */
  holdsData: boolean;
  /** Replacement-causing CloudFormation properties with no Pulumi input of the same meaning. */
  notMapped: string[];
}

function build(): Record<string, TypeReplacementData> {
  const spec = loadSpec();
  const out: Record<string, TypeReplacementData> = {};
  for (const [token, { cfn, aliases = {} }] of Object.entries(TYPES).sort(([a], [b]) => a.localeCompare(b))) {
    const resource = spec.get(cfn);
    if (!resource) throw new Error(`${token}: ${cfn} is not in @aws-cdk/aws-service-spec`);
    const inputs = pulumiInputs(token);
    const byLowerName = new Map(inputs.map((name) => [name.toLowerCase(), name]));
    const entry: TypeReplacementData = { cloudFormationType: cfn, replaces: [], mayReplace: [], holdsData: resource.isStateful === true, notMapped: [] };
    for (const [property, { causesReplacement }] of Object.entries(resource.properties)) {
      if (causesReplacement !== "yes" && causesReplacement !== "maybe") continue;
      const candidates = aliases[property] ?? [byLowerName.get(property.toLowerCase())].filter((n): n is string => n !== undefined);
      const mapped = candidates.filter((name) => inputs.includes(name));
      if (mapped.length === 0) entry.notMapped.push(property);
      (causesReplacement === "yes" ? entry.replaces : entry.mayReplace).push(...mapped);
    }
    entry.replaces.push(...EVERY_TYPE_REPLACES.filter((name) => inputs.includes(name)));
    entry.replaces = [...new Set(entry.replaces)].sort();
    entry.mayReplace = [...new Set(entry.mayReplace)].filter((n) => !entry.replaces.includes(n)).sort();
    entry.notMapped.sort();
    out[token] = entry;
  }
  return out;
}

function main(): void {
  const specVersion = (JSON.parse(fs.readFileSync(path.join(root, "node_modules", "@aws-cdk", "aws-service-spec", "package.json"), "utf8")) as { version: string }).version;
  const providerVersion = (JSON.parse(fs.readFileSync(path.join(root, "node_modules", "@pulumi", "aws", "package.json"), "utf8")) as { version: string }).version;
  const types = build();
  const data = {
    source: `CloudFormation resource schemas from @aws-cdk/aws-service-spec ${specVersion}, mapped to @pulumi/aws ${providerVersion} inputs`,
    generatedBy: "npm run replacement-data (scripts/replacement-data.ts)",
    types,
  };
  const target = path.join(root, "cli", "diff", "replacementData.json");
  fs.writeFileSync(target, JSON.stringify(data, null, 1) + "\n");
  const unmapped = Object.entries(types).filter(([, t]) => t.notMapped.length);
  process.stdout.write(`${Object.keys(types).length} resource types written to ${path.relative(root, target)}\n`);
  for (const [token, t] of unmapped) process.stdout.write(`  ${token}: not mapped ${t.notMapped.join(", ")}\n`);
}

main();
