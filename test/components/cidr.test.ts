import fc from "fast-check";
import { carveSubnets, cidrProblem, contains, formatCidr, isPublicIpv4, overlaps, parseCidr, subnetLayoutProblem } from "../../components/cidr";

describe("CIDR helpers", () => {
  it.each([
    ["10.0.0.0/16", { base: 167772160, prefix: 16 }],
    ["192.168.1.0/24", { base: 3232235776, prefix: 24 }],
    ["10.0.0.1/16", undefined],
    ["10.0.0.0/33", undefined],
    ["10.0.0/16", undefined],
    ["256.0.0.0/8", undefined],
  ])("parses %s", (text, expected) => {
    expect(parseCidr(text)).toEqual(expected);
    if (expected) expect(formatCidr(expected)).toBe(text);
  });

  it.each([
    ["10.0.0.0/16", "10.0.5.0/24", true, true],
    ["10.0.0.0/16", "10.1.0.0/24", false, false],
    ["10.0.0.0/24", "10.0.0.0/16", false, true],
  ])("%s contains %s: %s, overlaps: %s", (a, b, inside, overlap) => {
    expect(contains(parseCidr(a)!, parseCidr(b)!)).toBe(inside);
    expect(overlaps(parseCidr(a)!, parseCidr(b)!)).toBe(overlap);
  });

  it.each([["198.51.100.10", true], ["10.1.2.3", false], ["172.20.0.1", false], ["169.254.1.1", false], ["100.64.0.1", false], ["8.8.8.8", true]])("%s is public: %s", (ip, expected) => {
    expect(isPublicIpv4(ip)).toBe(expected);
  });

  it("explains a layout that does not fit", () => {
    expect(subnetLayoutProblem("10.0.0.0/24", { privatePrefix: 25 })).toMatch(/do not fit in 10.0.0.0\/24; make the VPC CIDR larger/);
    expect(subnetLayoutProblem("10.0.0.0/16")).toBeUndefined();
  });

  const vpcs = fc.tuple(fc.integer({ min: 16, max: 22 }), fc.integer({ min: 0, max: 2 ** 32 - 1 })).map(([prefix, address]) => {
    const size = 2 ** (32 - prefix);
    return formatCidr({ base: Math.floor(address / size) * size, prefix });
  });

  it("carves subnets that never overlap and stay inside the VPC", () => {
    fc.assert(fc.property(vpcs, fc.integer({ min: 1, max: 6 }), (vpc, zones) => {
      const { private: priv, public: pub } = carveSubnets(vpc, zones);
      const all = [...priv, ...pub].map((c) => parseCidr(c)!);
      expect(all).toHaveLength(zones * 2);
      all.forEach((a, i) => {
        expect(contains(parseCidr(vpc)!, a)).toBe(true);
        all.slice(i + 1).forEach((b) => expect(overlaps(a, b)).toBe(false));
      });
    }));
  });

  it("keeps every existing subnet where it is when the zone count grows", () => {
    fc.assert(fc.property(vpcs, fc.integer({ min: 1, max: 5 }), (vpc, zones) => {
      const before = carveSubnets(vpc, zones);
      const after = carveSubnets(vpc, zones + 1);
      expect(after.private.slice(0, zones)).toEqual(before.private);
      expect(after.public.slice(0, zones)).toEqual(before.public);
    }));
  });
});

describe("cidrProblem: why a text is not a CIDR", () => {
  it.each([
    ["10.0.0.1/16", "host bits are set; the network is 10.0.0.0/16"],
    ["192.168.7.130/25", "host bits are set; the network is 192.168.7.128/25"],
    ["10.0.0.0/33", "the prefix /33 is longer than 32 bits"],
    ["10.0.300.0/24", "10.0.300.0 is not an IPv4 address"],
    ["10.0.0.0", "write it as address/prefix, e.g. 10.0.0.0/16"],
  ])("%s: %s", (text, reason) => {
    expect(cidrProblem(text)).toBe(`is not a valid IPv4 CIDR: ${reason}`);
  });

  it("says nothing of a valid CIDR, and the network it names for host bits is always valid", () => {
    expect(cidrProblem("10.40.0.0/16")).toBeUndefined();
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), (address, prefix) => {
        const problem = cidrProblem(`${address}/${prefix}`);
        const network = /the network is (\S+)$/.exec(problem ?? "")?.[1];
        return problem === undefined ? parseCidr(`${address}/${prefix}`) !== undefined : network === undefined || parseCidr(network) !== undefined;
      }),
    );
  });
});
