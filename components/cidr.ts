/**
 * Pure IPv4 CIDR math for carving a VPC into subnets. Exported for the Network component, the stack config
 * validation and their tests; no Pulumi here, so every function is synchronous and total.
 */

export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  base: number;
  prefix: number;
}

/** The most availability zones a Flipstack network spans; subnet positions are reserved for all of them. */
export const MAX_AVAILABILITY_ZONES = 6;

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function parseIpv4(text: string): number | undefined {
  if (!IPV4.test(text)) return undefined;
  return text.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

/** Parses `a.b.c.d/n`; undefined when the text is not a CIDR or has host bits set (10.0.0.1/16). */
export function parseCidr(text: string): Cidr | undefined {
  const match = /^([^/]+)\/(\d{1,2})$/.exec(text);
  if (!match) return undefined;
  const base = parseIpv4(match[1]);
  const prefix = Number(match[2]);
  if (base === undefined || prefix > 32) return undefined;
  if (base % size({ base: 0, prefix }) !== 0) return undefined;
  return { base, prefix };
}

/**
 * Why a text is not a CIDR, for messages: `is not a valid IPv4 CIDR: host bits are set; the network is 10.0.0.0/16`
 * (or the prefix, the address or the form is wrong); undefined when it is one.
 */
export function cidrProblem(text: string): string | undefined {
  if (parseCidr(text)) return undefined;
  const invalid = "is not a valid IPv4 CIDR";
  const match = /^([^/]+)\/(\d{1,2})$/.exec(text);
  if (!match) return `${invalid}: write it as address/prefix, e.g. 10.0.0.0/16`;
  const base = parseIpv4(match[1]);
  if (base === undefined) return `${invalid}: ${match[1]} is not an IPv4 address`;
  const prefix = Number(match[2]);
  if (prefix > 32) return `${invalid}: the prefix /${prefix} is longer than 32 bits`;
  const network = base - (base % size({ base: 0, prefix }));
  return `${invalid}: host bits are set; the network is ${formatCidr({ base: network, prefix })}`;
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIpv4(cidr.base)}/${cidr.prefix}`;
}

/** Number of addresses in the block. */
export function size(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

export function contains(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && inner.base >= outer.base && inner.base + size(inner) <= outer.base + size(outer);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + size(b) && b.base < a.base + size(a);
}

/** The `index`-th block of length `prefix` inside `parent`. */
export function nthSubnet(parent: Cidr, prefix: number, index: number): Cidr {
  return { base: parent.base + index * 2 ** (32 - prefix), prefix };
}

export interface SubnetPlan {
  /** Per availability zone, in order. */
  private: string[];
  public: string[];
}

export interface CarveOptions {
  /** Prefix length of each private subnet. @default VPC prefix + 3 */
  privatePrefix?: number;
  /** Prefix length of each public subnet. @default VPC prefix + 6 */
  publicPrefix?: number;
}

export function defaultSubnetPrefixes(vpcPrefix: number): { privatePrefix: number; publicPrefix: number } {
  return { privatePrefix: Math.min(vpcPrefix + 3, 28), publicPrefix: Math.min(vpcPrefix + 6, 28) };
}

/**
 * Why a layout cannot be carved, or undefined when it can. The layout reserves a position for each of
 * {@link MAX_AVAILABILITY_ZONES} zones in both tiers, so growing the AZ count later never moves a subnet:
 * private subnets take the front of the VPC, public subnets follow on the next boundary of their size.
 */
export function subnetLayoutProblem(vpcCidr: string, options: CarveOptions = {}): string | undefined {
  const vpc = parseCidr(vpcCidr);
  if (!vpc) return `"${vpcCidr}" ${cidrProblem(vpcCidr)}`;
  const { privatePrefix, publicPrefix } = subnetPrefixes(vpc, options);
  for (const [tier, prefix] of [["private", privatePrefix], ["public", publicPrefix]] as const) {
    if (!Number.isInteger(prefix) || prefix <= vpc.prefix || prefix > 28) {
      return `${tier} subnet prefix /${prefix} must be longer than the VPC's /${vpc.prefix} and at most /28 (AWS's smallest subnet)`;
    }
  }
  const end = publicStart(vpc, privatePrefix, publicPrefix) + MAX_AVAILABILITY_ZONES * 2 ** (32 - publicPrefix);
  if (end > vpc.base + size(vpc)) {
    return (
      `${MAX_AVAILABILITY_ZONES} private /${privatePrefix} and ${MAX_AVAILABILITY_ZONES} public /${publicPrefix} subnets ` +
      `do not fit in ${vpcCidr}; make the VPC CIDR larger or the subnets smaller`
    );
  }
  return undefined;
}

/** Carves private and public subnets for `zoneCount` zones. Throws with the fix when the layout does not fit. */
export function carveSubnets(vpcCidr: string, zoneCount: number, options: CarveOptions = {}): SubnetPlan {
  const problem = subnetLayoutProblem(vpcCidr, options);
  if (problem) throw new Error(problem);
  if (!Number.isInteger(zoneCount) || zoneCount < 1 || zoneCount > MAX_AVAILABILITY_ZONES) {
    throw new Error(`zone count ${zoneCount} must be a whole number from 1 to ${MAX_AVAILABILITY_ZONES}`);
  }
  const vpc = parseCidr(vpcCidr)!;
  const { privatePrefix, publicPrefix } = subnetPrefixes(vpc, options);
  const publicBase: Cidr = { base: publicStart(vpc, privatePrefix, publicPrefix), prefix: publicPrefix };
  const zones = [...Array(zoneCount).keys()];
  return {
    private: zones.map((i) => formatCidr(nthSubnet(vpc, privatePrefix, i))),
    public: zones.map((i) => formatCidr(nthSubnet(publicBase, publicPrefix, i))),
  };
}

function subnetPrefixes(vpc: Cidr, options: CarveOptions): Required<CarveOptions> {
  const defaults = defaultSubnetPrefixes(vpc.prefix);
  return { privatePrefix: options.privatePrefix ?? defaults.privatePrefix, publicPrefix: options.publicPrefix ?? defaults.publicPrefix };
}

// First address after the reserved private block, rounded up to a boundary of the public subnet size.
function publicStart(vpc: Cidr, privatePrefix: number, publicPrefix: number): number {
  const afterPrivate = vpc.base + MAX_AVAILABILITY_ZONES * 2 ** (32 - privatePrefix);
  const step = 2 ** (32 - publicPrefix);
  return Math.ceil(afterPrivate / step) * step;
}

/** Private (RFC 1918), loopback, link-local, multicast and unspecified addresses cannot face the internet. */
export function isPublicIpv4(text: string): boolean {
  const address = parseIpv4(text);
  if (address === undefined) return false;
  const reserved = ["0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/3"];
  return !reserved.some((block) => contains(parseCidr(block)!, { base: address, prefix: 32 }));
}

/** VPC CIDR blocks AWS accepts: a /16 to a /28. */
export const VPC_PREFIX = { min: 16, max: 28 } as const;

/** Why AWS would refuse this (valid) CIDR as a VPC's, or undefined. */
export function vpcPrefixProblem(vpcCidr: string): string | undefined {
  const parsed = parseCidr(vpcCidr);
  if (!parsed || (parsed.prefix >= VPC_PREFIX.min && parsed.prefix <= VPC_PREFIX.max)) return undefined;
  return `"${vpcCidr}" has a /${parsed.prefix} prefix; AWS accepts VPC CIDRs from /${VPC_PREFIX.min} to /${VPC_PREFIX.max}`;
}
