import { loadStackConfig } from "../../stacks/config";
import { staleReleaseProblems } from "../../stacks/staleGuard";
import { LOAD_BALANCER as loadBalancer, NETWORK as network, refusal } from "./configProblems";

const vpn = { customerGateway: { ip: "198.51.100.20", bgpAsn: 65010 }, staticRoutes: ["192.168.0.0/20"] };
const api = (release: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  kind: "containers", port: 8080, routing: { priority: 200, hostHeaders: ["api.example.com"] },
  release: { live: "green", green: { version: "3f2c1ab", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:3f2c1ab" }, ...release }, ...extra,
});
const web = (extra: Record<string, unknown> = {}) => ({
  kind: "instances", port: 8080, routing: { priority: 100, hostHeaders: ["www.example.com"] },
  release: { live: "blue", blue: { version: "2026.11.3", ami: "ami-0a1b2c3d4e5f67890" } }, ...extra,
});

type Keys = Record<string, unknown>;
const runtime = (keys: Keys) => Object.fromEntries(Object.entries(keys).map(([k, v]) => [`flipstack:${k}`, typeof v === "string" ? v : JSON.stringify(v)]));
// Production refuses an alarm topic without subscribers (test/stacks/notifications.test.ts): give it one by default.
const PRODUCTION_KEYS: Keys = { notifications: { subscribers: [{ protocol: "email", endpoint: "ops@example.com" }] } };
const load = (keys: Keys, stack = "staging") =>
  loadStackConfig("flipstack", stack, { "aws:region": "eu-west-1", ...runtime({ ...(stack === "production" && PRODUCTION_KEYS), ...keys }) });
const problems = (keys: Keys, stack = "staging") => refusal(() => load(keys, stack));

describe("stack config", () => {
  it.each([
    ["production", { availabilityZones: 3, nat: "perAz", flowLogRetentionDays: 365, protect: true }],
    ["staging", { availabilityZones: 2, nat: "single", flowLogRetentionDays: 30, protect: false }],
  ])("gives %s its defaults", (stack, expected) => {
    expect(load({ network }, stack).network).toMatchObject({ ...expected, privateSubnetPrefix: 19, publicSubnetPrefix: 22 });
  });

  it("recognises pr-<number> stacks as previews, which carry no network of their own", () => {
    expect(load({}, "pr-42").environment).toBe("preview");
    expect(problems({ network }, "pr-42")).toEqual([expect.stringMatching(/^flipstack:network: is not used by a pull-request preview/)]);
  });

  it("asks other stack names to say which environment they are", () => {
    expect(problems({ network }, "dev")).toEqual([expect.stringMatching(/^flipstack:environment: stack "dev" is not production, staging or pr-<number>/)]);
    expect(load({ network, environment: "staging" }, "dev").environment).toBe("staging");
  });

  it("accepts a version that YAML or --path stored as a number", () => {
    const config = load({ network, vpn, loadBalancer, services: { api: api({ green: { version: 1234567, image: "r.example.com/api:1234567" } }) } });
    expect(config.services.api.release.green?.version).toBe("1234567");
  });

  it.each([
    [{ network: { cidr: "10.0.0.0/33" } }, 'flipstack:network.cidr: "10.0.0.0/33" is not a valid IPv4 CIDR'],
    [{ network: { ...network, availabilityZones: 1 } }, "flipstack:network.availabilityZones: must be at least 2, got 1"],
    [{ network: { ...network, availabilityZones: 7 } }, "flipstack:network.availabilityZones: must be at most 6, got 7"],
    [{ network: { cidrr: "10.0.0.0/16" } }, 'flipstack:network.cidrr: unknown key; did you mean "cidr"?'],
    [{ network, netwrok: {} }, 'flipstack:netwrok: unknown key; did you mean "network"?'],
    [{ network: { ...network, availabilityZones: "three" } }, 'flipstack:network.availabilityZones: expected a number, got "three"'],
    [{ network: {} }, "flipstack:network.cidr: is required"],
    [{ network: { ...network, nat: "double" } }, 'flipstack:network.nat: must be one of "none", "single", "perAz", got "double"'],
    [{ network, vpn: { ...vpn, customerGateway: { ip: "10.1.2.3", bgpAsn: 65010 } } }, 'flipstack:vpn.customerGateway.ip: "10.1.2.3" must be the public IPv4 address'],
    [{ network, vpn: { ...vpn, customerGateway: { ip: "198.51.100", bgpAsn: 65010 } } }, 'flipstack:vpn.customerGateway.ip: "198.51.100" must be the public IPv4 address'],
    [{ network, vpn: { ...vpn, customerGateway: { ip: "198.51.100.20", bgpAsn: 0 } } }, "flipstack:vpn.customerGateway.bgpAsn: must be at least 1, got 0"],
    [{ network, vpn: { ...vpn, customerGateway: { ip: "198.51.100.20", bgpAsn: 4294967295 } } }, "flipstack:vpn.customerGateway.bgpAsn: must be at most 4294967294"],
    [{ network, vpn: { ...vpn, customerGateway: { ip: "198.51.100.20", bgpAsn: "x" } } }, 'flipstack:vpn.customerGateway.bgpAsn: expected a number, got "x"'],
    [{ network, vpn: { ...vpn, staticRoutes: ["10.20.8.0/24"] } }, 'flipstack:vpn.staticRoutes[0]: "10.20.8.0/24" overlaps the VPC 10.20.0.0/16'],
    [{ network, loadBalancer: { ...loadBalancer, officeCidrs: ["10.0.0.0/8"] } }, 'flipstack:loadBalancer.officeCidrs[0]: "10.0.0.0/8" overlaps the VPC'],
    [{ network: { cidr: "10.0.0.0/8" } }, "flipstack:network.cidr: \"10.0.0.0/8\" has a /8 prefix; AWS accepts VPC CIDRs from /16 to /28"],
    [{ network: { ...network, privateSubnetPrefix: 17 } }, "make the VPC CIDR larger or the subnets smaller"],
    [{ network, vpn: { ...vpn, customerGateway: { ip: "198.51.100.20", bgpAsn: 64512 } } }, "flipstack:vpn.customerGateway.bgpAsn: 64512 equals the Amazon side ASN"],
    [{ network, vpn, loadBalancer, services: { api: api({ green: { version: "1", image: "r.example.com/api:latest" } }) } }, "flipstack:services.api.release.green.image: \"r.example.com/api:latest\" uses the tag `latest`"],
    [{ network, vpn, loadBalancer, services: { api: api({ live: "blue" }) } }, 'flipstack:services.api.release.live: is "blue" but there is no blue slot'],
    [{ network, vpn, loadBalancer, services: { api: api(), web: web({ routing: { priority: 200, pathPatterns: ["/*"] } }) } }, 'flipstack:services.web.routing.priority: services "api" and "web" both use listener rule priority 200'],
    [{ network, vpn, loadBalancer, services: { api: api({}, { cpu: 256, memory: 4096 }) } }, "flipstack:services.api.memory: memory 4096 MiB does not fit 256 CPU units"],
    [{ network, vpn, loadBalancer, services: { web: web({ release: { live: "blue", blue: { version: "1" } } }) } }, "flipstack:services.web.release.blue.ami: is required"],
    [{ network, loadBalancer: { ...loadBalancer, officeCidrs: [] }, services: { web: web() } }, "flipstack:loadBalancer.officeCidrs: needs at least one CIDR"],
  ])("refuses %j naming the key: %s", (keys, message) => {
    expect(problems(keys as Keys).join("\n")).toContain(message);
  });

  it("reports every problem at once", () => {
    const found = problems({ network: { cidr: "10.0.0.0/33", nat: "double", bogus: 1 } });
    expect(found).toHaveLength(3);
  });
});

describe("services.<name>.shift and release.weight", () => {
  const base = { network, vpn, loadBalancer };
  const shiftOf = (shift: unknown) => load({ ...base, services: { api: api({}, { shift }) } }).services.api.shift;
  const shiftProblems = (shift: unknown) => problems({ ...base, services: { api: api({}, { shift }) } });

  it.each([
    [undefined, { strategy: "allAtOnce", steps: [100], stepSeconds: 0 }],
    ["allAtOnce", { strategy: "allAtOnce", steps: [100], stepSeconds: 0 }],
    ["canary", { strategy: "canary", steps: [10, 100], stepSeconds: 300 }],
    ["canary 5% 10m", { strategy: "canary", steps: [5, 100], stepSeconds: 600 }],
    ["canary 20% for 90s", { strategy: "canary", steps: [20, 100], stepSeconds: 90 }],
    ["linear", { strategy: "linear", steps: [25, 50, 75, 100], stepSeconds: 120 }],
    ["linear 30% every 1m", { strategy: "linear", steps: [30, 60, 90, 100], stepSeconds: 60 }],
    [{ strategy: "canary", steps: [5, 25, 100], every: "3m", stickiness: "1h" }, { strategy: "canary", steps: [5, 25, 100], stepSeconds: 180, stickinessSeconds: 3600 }],
  ])("%j resolves to %j", (shift, expected) => {
    expect(shiftOf(shift)).toEqual(expected);
  });

  it.each([
    ["canary 150%", "flipstack:services.api.shift.percent: 150% is outside 1–99"],
    ["linear 0% every 2m", "flipstack:services.api.shift.percent: 0% is outside 1–99"],
    ["canary 10% soon", 'flipstack:services.api.shift: "canary 10% soon" is not a shift; write `allAtOnce`, `canary 10% 5m`'],
    ["blue-green", 'flipstack:services.api.shift: "blue-green" is not a shift'],
    ["canary 10% 5", 'flipstack:services.api.shift.every: "5" is not a duration; use a number with a unit'],
    [{ strategy: "linear", every: "two minutes" }, 'flipstack:services.api.shift.every: "two minutes" is not a duration'],
    [{ steps: [10, 5, 100] }, "flipstack:services.api.shift.steps: 10, 5, 100 does not increase"],
    [{ steps: [10, 50] }, "flipstack:services.api.shift.steps: ends at 50%; the last step is 100"],
    [{ steps: [0, 100] }, "flipstack:services.api.shift.steps: 0 outside 1–99"],
    [{ steps: [10, 100], percent: 10 }, "flipstack:services.api.shift.percent: conflicts with `steps`"],
    [{ strategy: "canary", stickiness: "8d" }, 'flipstack:services.api.shift.stickiness: "8d" must be a duration from 1s to 7d'],
    [{ strategy: "allAtOnce", percent: 10 }, "flipstack:services.api.shift.percent: has no effect with strategy allAtOnce"],
    [{ strategy: "gradual" }, "flipstack:services.api.shift"],
  ])("refuses %j, naming the key", (shift, message) => {
    expect(shiftProblems(shift)).toEqual([expect.stringContaining(message)]);
  });

  it("refuses a weight on a service with only one slot, and a weight outside 0–99", () => {
    expect(problems({ ...base, services: { api: api({ weight: 10 }) } })).toEqual([
      expect.stringMatching(/^flipstack:services\.api\.release\.weight: is 10 but the idle slot blue is empty; a shift needs both slots/),
    ]);
    const both = { blue: { version: "9d8e7f6", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:9d8e7f6" } };
    expect(problems({ ...base, services: { api: api({ ...both, weight: 100 }) } })).toEqual([
      expect.stringMatching(/^flipstack:services\.api\.release\.weight: must be at most 99/),
    ]);
    expect(load({ ...base, services: { api: api({ ...both, weight: "25", phase: "shifting" }) } }).services.api.release).toMatchObject({ weight: 25, phase: "shifting" });
  });

  it("the stale-release guard treats a weight change as a traffic move", () => {
    const blue = { version: "9d8e7f6", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:9d8e7f6" };
    const config = load({ ...base, services: { api: api({ blue, generation: 9, weight: 10, phase: "shifting" }) } });
    const deployed = (generation: number, weight: number) => ({ api: { liveVersion: "3f2c1ab", generation, weight } });
    expect(staleReleaseProblems(config, deployed(9, 25))).toEqual([
      expect.stringMatching(/services\.api\.release: would move 25% \(deployed\) to 10% of users onto the idle slot without a new generation\. To shift deliberately run `flipstack release promote/),
    ]);
    expect(staleReleaseProblems(config, deployed(9, 10))).toEqual([]);
    expect(staleReleaseProblems(config, deployed(8, 0))).toEqual([]);
    expect(staleReleaseProblems(config, deployed(10, 10))).toEqual([expect.stringContaining("generation 9 is older than the deployed generation 10")]);
  });
});
