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
  ])("refuses %s", (override, message) => {
    expect(() => applySetOverrides(base, [override], "flipstack")).toThrow(message);
  });

  it("parses paths like pulumi config set --path", () => {
    expect(parseKeyPath('a.b[2]["c.d"].e')).toEqual(["a", "b", 2, "c.d", "e"]);
  });
});
