import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { availabilityZoneNames, regionFacts } from "./regions";

type Values = Record<string, unknown>;

/** Where a data-source call is answered: the call's arguments, its region and the offline account. */
export interface LookupContext {
  args: Values;
  region: string;
  account: string;
}

/** The file in a project's folder where a program gives its own answers to data-source calls. */
export const LOOKUPS_FILE = "flipstack.lookups.yaml";

/**
 * A program's own answers, by token (`aws:ec2/getVpc:getVpc`) or by the function's name (`aws.ec2.getVpc`): either
 * the result (merged over the plan's own answer, so only the values that matter need writing), or a list of
 * `{ when, result }` entries whose `when` holds the arguments a call must have for that result to apply.
 */
export type Lookups = Record<string, Values | ReadonlyArray<{ when?: Values; result: Values }>>;

/** The Pulumi token for a function name as programs write it: `aws.ec2.getVpc` → `aws:ec2/getVpc:getVpc`. */
export function lookupToken(name: string): string {
  if (name.includes(":")) return name;
  const parts = name.split(".");
  const fn = parts.pop()!;
  const [pkg, ...modules] = parts;
  return `${pkg}:${modules.length ? modules.join("/") : "index"}/${fn}:${fn}`;
}

/** `aws:ec2/getVpc:getVpc` → `aws.ec2.getVpc`, the name a program calls. */
export function lookupName(token: string): string {
  const [pkg, module, fn] = token.split(/[:/]/);
  return module === "index" ? `${pkg}.${fn}` : `${pkg}.${module}.${fn}`;
}

/** Reads `flipstack.lookups.yaml` from the project folder; no file, no answers. */
export function readLookups(projectDir: string): Lookups {
  const file = path.join(projectDir, LOOKUPS_FILE);
  if (!fs.existsSync(file)) return {};
  const doc = parse(fs.readFileSync(file, "utf8")) as unknown;
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== "object" || Array.isArray(doc)) throw new Error(`${LOOKUPS_FILE} must map data-source names (aws.ec2.getVpc) to results`);
  return doc as Lookups;
}

/** The program's own answer for a call, if it gave one. */
export function givenAnswer(lookups: Lookups, token: string, args: Values): Values | undefined {
  const entry = Object.entries(lookups).find(([name]) => lookupToken(name) === token)?.[1];
  if (entry === undefined) return undefined;
  if (!Array.isArray(entry)) return entry as Values;
  return entry.find((e) => Object.entries(e.when ?? {}).every(([key, value]) => JSON.stringify(args[key]) === JSON.stringify(value)))?.result;
}

/** An error whose text survives the SDK: it rethrows only an invoke error's `details`. */
export function lookupError(message: string): Error {
  return Object.assign(new Error(message), { details: message });
}

export function unansweredLookup(token: string): Error {
  return lookupError(
    `the offline plan has no answer for data source ${lookupName(token)} ("${token}"); add its result under ` +
      `"${lookupName(token)}" in ${LOOKUPS_FILE} beside Pulumi.yaml (see "Data-source lookups" in Flipstack's README)`,
  );
}

const hexOf = (seed: unknown) => {
  const digest = createHash("sha256").update(JSON.stringify(seed)).digest("hex");
  return (length: number) => digest.slice(0, length);
};
const filterValue = (args: Values, name: string): string | undefined => {
  const filters = (args.filters ?? []) as Array<{ name: string; values: string[] }>;
  return filters.find((f) => f.name === name)?.values[0];
};
const zoneId = (region: string, index: number) => `${region.replace(/-/g, "").slice(0, 4)}-az${index + 1}`;
const tagsOf = (args: Values) => (args.tags ?? {}) as Values;

/**
 * Realistic answers for the data sources infrastructure programs call most. Ids are derived from the call's
 * arguments, so the same lookup gets the same answer in every plan and different lookups get different ones.
 */
export const LOOKUPS: Readonly<Record<string, (c: LookupContext) => Values>> = {
  "aws:ec2/getVpc:getVpc": ({ args, region, account }) => {
    const hex = hexOf(["vpc", args]);
    const id = String(args.id ?? filterValue(args, "vpc-id") ?? `vpc-0${hex(16)}`);
    const isDefault = args.default === true;
    const cidrBlock = String(args.cidrBlock ?? (isDefault ? "172.31.0.0/16" : "10.0.0.0/16"));
    return {
      id, arn: `arn:aws:ec2:${region}:${account}:vpc/${id}`, cidrBlock, default: isDefault, state: "available",
      cidrBlockAssociations: [{ associationId: `vpc-cidr-assoc-0${hex(16)}`, cidrBlock, state: "associated" }],
      dhcpOptionsId: `dopt-0${hex(16)}`, enableDnsHostnames: true, enableDnsSupport: true, enableNetworkAddressUsageMetrics: false,
      instanceTenancy: "default", ipv6AssociationId: "", ipv6CidrBlock: "", ipv6CidrBlockAssociations: [],
      mainRouteTableId: `rtb-0${hex(16)}`, ownerId: account, region, tags: tagsOf(args),
    };
  },
  "aws:ec2/getVpcs:getVpcs": ({ args, region }) => ({ id: region, ids: [`vpc-0${hexOf(["vpcs", args])(16)}`], region, tags: tagsOf(args) }),
  // One subnet per availability zone, as a VPC built across the region's zones has.
  "aws:ec2/getSubnets:getSubnets": ({ args, region }) => ({
    id: region, region, tags: tagsOf(args),
    ids: availabilityZoneNames(region).slice(0, 3).map((zone) => `subnet-0${hexOf(["subnets", args, zone])(16)}`),
  }),
  "aws:ec2/getSubnet:getSubnet": ({ args, region, account }) => {
    const hex = hexOf(["subnet", args]);
    const id = String(args.id ?? `subnet-0${hex(16)}`);
    const zones = availabilityZoneNames(region);
    const index = parseInt(hexOf(id)(2), 16) % zones.length;
    const zone = String(args.availabilityZone ?? zones[index]);
    return {
      id, arn: `arn:aws:ec2:${region}:${account}:subnet/${id}`, availabilityZone: zone, availabilityZoneId: zoneId(region, zones.indexOf(zone)),
      cidrBlock: String(args.cidrBlock ?? `10.0.${index * 32}.0/19`), availableIpAddressCount: 8186, vpcId: String(args.vpcId ?? `vpc-0${hex(16)}`),
      defaultForAz: false, mapPublicIpOnLaunch: false, assignIpv6AddressOnCreation: false, ipv6Native: false, enableDns64: false,
      ipv6CidrBlock: "", ipv6CidrBlockAssociationId: "", customerOwnedIpv4Pool: "", mapCustomerOwnedIpOnLaunch: false, outpostArn: "",
      enableLniAtDeviceIndex: 0, enableResourceNameDnsARecordOnLaunch: false, enableResourceNameDnsAaaaRecordOnLaunch: false,
      privateDnsHostnameTypeOnLaunch: "ip-name", ownerId: account, region, state: "available", tags: tagsOf(args),
    };
  },
  "aws:ec2/getAmi:getAmi": ({ args, region }) => {
    const id = filterValue(args, "image-id") ?? `ami-0${hexOf(["ami", args, region])(16)}`;
    const architecture = filterValue(args, "architecture") ?? "x86_64";
    const owner = ((args.owners ?? ["amazon"]) as string[])[0];
    const ownerId = owner === "amazon" || owner === "self" ? "137112412989" : owner;
    const name = filterValue(args, "name")?.replace(/\*/g, "20261101.0") ?? `al2023-ami-2023.9.20261101.0-kernel-6.1-${architecture}`;
    return {
      id, imageId: id, arn: `arn:aws:ec2:${region}::image/${id}`, name, architecture, ownerId, imageOwnerAlias: owner === "amazon" ? "amazon" : "",
      creationDate: "2026-11-01T00:00:00.000Z", deprecationTime: "2028-11-01T00:00:00.000Z", description: name, enaSupport: true,
      hypervisor: "xen", imageLocation: `${owner}/${name}`, imageType: "machine", imdsSupport: "v2.0", bootMode: "uefi-preferred",
      kernelId: "", platform: "", platformDetails: "Linux/UNIX", public: true, ramdiskId: "", rootDeviceName: "/dev/xvda",
      rootDeviceType: "ebs", rootSnapshotId: `snap-0${hexOf(["snap", id])(16)}`, sriovNetSupport: "simple", state: "available",
      tpmSupport: "", usageOperation: "RunInstances", virtualizationType: "hvm", blockDeviceMappings: [], productCodes: [],
      stateReason: { code: "UNSET", message: "UNSET" }, tags: {}, region,
    };
  },
  "aws:ec2/getAmiIds:getAmiIds": ({ args, region }) => ({ id: region, ids: [`ami-0${hexOf(["amis", args, region])(16)}`], owners: args.owners ?? [], region }),
  "aws:ec2/getSecurityGroup:getSecurityGroup": ({ args, region, account }) => {
    const hex = hexOf(["sg", args]);
    const id = String(args.id ?? `sg-0${hex(16)}`);
    return { id, arn: `arn:aws:ec2:${region}:${account}:security-group/${id}`, name: String(args.name ?? "default"), description: "looked up offline", vpcId: String(args.vpcId ?? `vpc-0${hex(16)}`), region, tags: tagsOf(args) };
  },
  "aws:acm/getCertificate:getCertificate": ({ args, region, account }) => {
    const hex = hexOf(["acm", args, region]);
    const arn = `arn:aws:acm:${region}:${account}:certificate/${hex(8)}-${hex(12).slice(8)}-4${hex(15).slice(12)}-8${hex(18).slice(15)}-${hex(30).slice(18)}`;
    return { id: arn, arn, domain: String(args.domain ?? "example.com"), status: "ISSUED", certificate: "", certificateChain: "", region, tags: tagsOf(args) };
  },
  "aws:route53/getZone:getZone": ({ args }) => {
    const zoneId = String(args.zoneId ?? `Z0${hexOf(["zone", args])(19).toUpperCase()}`);
    const name = `${String(args.name ?? "example.com").replace(/\.$/, "")}.`;
    return {
      id: zoneId, zoneId, name, arn: `arn:aws:route53:::hostedzone/${zoneId}`, callerReference: `offline-${zoneId}`, comment: "",
      linkedServiceDescription: "", linkedServicePrincipal: "", privateZone: args.privateZone === true, resourceRecordSetCount: 2,
      nameServers: ["ns-1.awsdns-01.org", "ns-513.awsdns-02.net", "ns-1025.awsdns-03.co.uk", "ns-1537.awsdns-04.com"],
      primaryNameServer: "ns-1.awsdns-01.org", tags: tagsOf(args), ...(args.vpcId ? { vpcId: args.vpcId } : {}),
    };
  },
  "aws:ecr/getAuthorizationToken:getAuthorizationToken": ({ args, region, account }) => {
    const registry = String(args.registryId ?? account);
    const password = `offline-${hexOf(["ecr", registry, region])(32)}`;
    return {
      id: region, region, registryId: registry, userName: "AWS", password,
      authorizationToken: Buffer.from(`AWS:${password}`).toString("base64"),
      proxyEndpoint: `https://${registry}.dkr.ecr.${region}.amazonaws.com`, expiresAt: "2026-12-31T12:00:00Z",
    };
  },
  "aws:ecr/getRepository:getRepository": ({ args, region, account }) => {
    const registry = String(args.registryId ?? account);
    return {
      id: String(args.name), name: String(args.name), registryId: registry, region,
      arn: `arn:aws:ecr:${region}:${registry}:repository/${String(args.name)}`,
      repositoryUrl: `${registry}.dkr.ecr.${region}.amazonaws.com/${String(args.name)}`, imageTagMutability: "IMMUTABLE",
      imageTagMutabilityExclusionFilters: [], encryptionConfigurations: [{ encryptionType: "AES256", kmsKey: "" }],
      imageScanningConfigurations: [{ scanOnPush: true }], mostRecentImageTags: [], tags: {},
    };
  },
  "aws:ssm/getParameter:getParameter": ({ args, region, account }) => {
    const name = String(args.name);
    // The public AMI parameters (/aws/service/ami-...) hold an image id; anything else a placeholder string.
    const value = name.includes("/ami") ? `ami-0${hexOf(["ssm-ami", name, region])(16)}` : `offline-value-of-${name}`;
    return { id: name, name, value, insecureValue: value, type: "String", version: 1, region, arn: `arn:aws:ssm:${region}:${account}:parameter/${name.replace(/^\//, "")}` };
  },
  "aws:iam/getRole:getRole": ({ args, account }) => ({
    id: String(args.name), name: String(args.name), arn: `arn:aws:iam::${account}:role/${String(args.name)}`, path: "/",
    uniqueId: `AROA${hexOf(["role", args])(17).toUpperCase()}`, assumeRolePolicy: "{}", createDate: "2026-01-01T00:00:00Z",
    description: "", maxSessionDuration: 3600, permissionsBoundary: "", roleLastUseds: [], tags: {},
  }),
  "aws:kms/getAlias:getAlias": ({ args, region, account }) => {
    const hex = hexOf(["kms", args, region]);
    const keyId = `${hex(8)}-${hex(12).slice(8)}-4${hex(15).slice(12)}-8${hex(18).slice(15)}-${hex(30).slice(18)}`;
    return { id: String(args.name), name: String(args.name), arn: `arn:aws:kms:${region}:${account}:${String(args.name)}`, targetKeyId: keyId, targetKeyArn: `arn:aws:kms:${region}:${account}:key/${keyId}`, region };
  },
  "aws:secretsmanager/getSecret:getSecret": ({ args, region, account }) => {
    const name = String(args.name ?? "secret");
    const arn = String(args.arn ?? `arn:aws:secretsmanager:${region}:${account}:secret:${name}-${hexOf(["secret", name])(6)}`);
    return { id: arn, arn, name, description: "", kmsKeyId: "", policy: "", type: "", createdDate: "2026-01-01T00:00:00Z", lastChangedDate: "2026-01-01T00:00:00Z", region, tags: {} };
  },
  "aws:elb/getHostedZoneId:getHostedZoneId": ({ region }) => ({ id: regionFacts(region).albHostedZoneId, region }),
  "aws:index/getAvailabilityZone:getAvailabilityZone": ({ args, region }) => {
    const zones = availabilityZoneNames(region);
    const name = String(args.name ?? zones[0]);
    return {
      id: name, name, nameSuffix: name.slice(region.length), zoneId: zoneId(region, Math.max(zones.indexOf(name), 0)), region,
      groupName: region, groupLongName: region, networkBorderGroup: region, optInStatus: "opt-in-not-required",
      parentZoneId: "", parentZoneName: "", state: "available", zoneType: "availability-zone",
    };
  },
  "aws:iam/getPolicyDocument:getPolicyDocument": ({ args }) => {
    const document = policyDocument(args);
    return { id: String(createHash("sha1").update(JSON.stringify(document)).digest("hex").slice(0, 10)), json: JSON.stringify(document, null, 2), minifiedJson: JSON.stringify(document) };
  },
};

interface StatementArgs {
  sid?: string;
  effect?: string;
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  principals?: Array<{ type: string; identifiers: string[] }>;
  notPrincipals?: Array<{ type: string; identifiers: string[] }>;
  conditions?: Array<{ test: string; variable: string; values: string[] }>;
}

// The document IAM would receive for getPolicyDocument's statements (single values unwrapped, as the provider does).
function policyDocument(args: Values): Values {
  const one = (values: string[]) => (values.length === 1 ? values[0] : values);
  const principals = (list: StatementArgs["principals"]) =>
    list?.length ? Object.fromEntries(list.map((p) => [p.type, one(p.identifiers)])) : undefined;
  const statements = ((args.statements ?? []) as StatementArgs[]).map((s) => {
    const conditions: Record<string, Record<string, unknown>> = {};
    for (const c of s.conditions ?? []) (conditions[c.test] ??= {})[c.variable] = one(c.values);
    return Object.fromEntries(
      Object.entries({
        Sid: s.sid, Effect: s.effect ?? "Allow", Action: s.actions && one(s.actions), NotAction: s.notActions && one(s.notActions),
        Resource: s.resources && one(s.resources), NotResource: s.notResources && one(s.notResources),
        Principal: principals(s.principals), NotPrincipal: principals(s.notPrincipals),
        Condition: Object.keys(conditions).length ? conditions : undefined,
      }).filter(([, v]) => v !== undefined),
    );
  });
  return { Version: String(args.version ?? "2012-10-17"), ...(args.policyId ? { Id: args.policyId } : {}), Statement: statements };
}
