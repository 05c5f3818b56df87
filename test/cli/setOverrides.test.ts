import { applySetOverrides, parseKeyPath } from "../../cli/config/setOverrides";

describe("--set overrides", () => {
  const base = { "flipstack:network": { cidr: "10.0.0.0/16" }, "aws:region": "eu-west-1" };

  it.each([
    ["network.nat=single", { "flipstack:network": { cidr: "10.0.0.0/16", nat: "single" } }],
    ["network.availabilityZones=3", { "flipstack:network": { cidr: "10.0.0.0/16", availabilityZones: 3 } }],
    ["vpn.staticRoutes[0]=10.9.0.0/16", { "flipstack:vpn": { staticRoutes: ["10.9.0.0/16"] } }],
    ['services["my.svc"].enabled=true', { "flipstack:services": { "my.svc": { enabled: true } } }],
    ['network={"cidr":"10.1.0.0/16"}', { "flipstack:network": { cidr: "10.1.0.0/16" } }],
    ["aws:region=us-east-1", { "aws:region": "us-east-1" }],
    ["network.cidr=null", { "flipstack:network": {} }],
  ])("%s", (override, expected) => {
    expect(applySetOverrides(base, [override], "flipstack")).toMatchObject(expected);
  });

  it("leaves the input untouched", () => {
    const input = structuredClone(base);
    applySetOverrides(input, ["network.cidr=10.9.0.0/16"], "flipstack");
    expect(input).toEqual(base);
  });

  it.each([
    ["network.cidr", "expected <key.path>=<value>"],
    ["network..cidr=1", "is not a valid config path"],
    ["aws:region.sub=1", "cannot set a key inside a string"],
    ["vpn.staticRoutes[5000000]=10.9.0.0/16", "index 5000000 is past the end of the list (0 entries); use an index from 0 to 0"],
    ["network.__proto__.polluted=1", '"__proto__" cannot be a config key'],
    ["__proto__.polluted=1", '"__proto__" cannot be a config key'],
    ["network.constructor.prototype.polluted=1", '"constructor" cannot be a config key'],
    ["vpn.staticRoutes[0]=null", "index 0 is not in the list (0 entries); nothing to remove"],
  ])("refuses %s", (override, message) => {
    expect(() => applySetOverrides(base, [override], "flipstack")).toThrow(message);
  });

  it("never reaches Object.prototype", () => {
    for (const override of ["network.__proto__.polluted=1", '["__proto__"].polluted=1', "network.constructor.prototype.polluted=1"]) {
      expect(() => applySetOverrides(base, [override], "flipstack")).toThrow("cannot be a config key");
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("appends right after the last entry and removes an entry without leaving a null", () => {
    const routes = { "flipstack:vpn": { staticRoutes: ["10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16"] } };
    expect(applySetOverrides(routes, ["vpn.staticRoutes[3]=10.4.0.0/16"], "flipstack")["flipstack:vpn"]).toEqual({ staticRoutes: ["10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16", "10.4.0.0/16"] });
    expect(applySetOverrides(routes, ["vpn.staticRoutes[1]=null"], "flipstack")["flipstack:vpn"]).toEqual({ staticRoutes: ["10.1.0.0/16", "10.3.0.0/16"] });
    expect(() => applySetOverrides(routes, ["vpn.staticRoutes[4]=10.5.0.0/16"], "flipstack")).toThrow("use an index from 0 to 3 (3 appends)");
  });

  it("parses paths like pulumi config set --path", () => {
    expect(parseKeyPath('a.b[2]["c.d"].e')).toEqual(["a", "b", 2, "c.d", "e"]);
  });
});
